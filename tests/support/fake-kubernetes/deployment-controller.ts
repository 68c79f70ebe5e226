import { createHash, randomBytes } from 'node:crypto';
import { timestamp } from './pod-status';
import { matchesLabels } from './selectors';
import type { KubeObject, ObjectStore, StoreEvent } from './store';

interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata?: { labels?: Record<string, string> }; spec: object };
  progressDeadlineSeconds?: number;
}

/**
 * The deployment controller (with its ReplicaSets folded in): a new template gets new pods labelled with its
 * pod-template-hash, old pods are deleted, and status follows the pods' readiness. A rollout that is not
 * available before the progress deadline gets `Progressing=False, reason ProgressDeadlineExceeded`.
 */
export class FakeDeploymentController {
  /** Overrides spec.progressDeadlineSeconds so tests do not wait ten minutes. */
  progressDeadlineMs: number | undefined;
  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  constructor(private readonly store: ObjectStore) {
    store.on('change', (event) => this.onChange(event));
  }

  stop(): void {
    for (const timer of this.deadlines.values()) clearTimeout(timer);
  }

  private onChange(event: StoreEvent): void {
    if (event.resource === 'deployments' && event.type !== 'DELETED') {
      const deployment = event.object;
      const observed = (deployment.status as { observedGeneration?: number } | undefined)?.observedGeneration;
      if (observed !== deployment.metadata.generation)
        setImmediate(() => this.rollOut(event.namespace, deployment.metadata.name));
    }
    if (event.resource === 'pods' && event.object.metadata.labels?.['pod-template-hash']) {
      for (const deployment of this.store.list('deployments', event.namespace)) {
        const spec = deployment.spec as DeploymentSpec;
        if (matchesLabels(event.object, selectorOf(spec)))
          setImmediate(() => this.updateStatus(event.namespace, deployment.metadata.name));
      }
    }
  }

  private rollOut(namespace: string, name: string): void {
    const deployment = this.store.get('deployments', namespace, name);
    const observed = (deployment?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
    if (!deployment || observed === deployment.metadata.generation) return;
    const spec = deployment.spec as DeploymentSpec;
    const hash = templateHash(spec);
    for (const pod of this.store.list('pods', namespace)) {
      if (
        matchesLabels(pod, selectorOf(spec)) &&
        pod.metadata.labels?.['pod-template-hash'] !== hash &&
        !pod.metadata.deletionTimestamp
      ) {
        this.store.update('pods', namespace, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: timestamp() } });
      }
    }
    for (let i = 0; i < (spec.replicas ?? 1); i += 1) {
      const labels = { ...(spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
      const podName = `${name}-${hash}-${randomBytes(3).toString('hex').slice(0, 5)}`;
      const pod: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace, labels },
        spec: { restartPolicy: 'Always', ...spec.template.spec },
        status: { phase: 'Pending' },
      };
      this.store.create('pods', namespace, pod);
    }
    this.writeStatus(namespace, name, {
      observedGeneration: deployment.metadata.generation,
      progressing: 'ReplicaSetUpdated',
    });
    clearTimeout(this.deadlines.get(`${namespace}/${name}`));
    const deadlineMs = this.progressDeadlineMs ?? (spec.progressDeadlineSeconds ?? 600) * 1000;
    this.deadlines.set(
      `${namespace}/${name}`,
      setTimeout(() => this.checkDeadline(namespace, name, hash), deadlineMs),
    );
  }

  private checkDeadline(namespace: string, name: string, hash: string): void {
    const deployment = this.store.get('deployments', namespace, name);
    if (!deployment || templateHash(deployment.spec as DeploymentSpec) !== hash) return;
    const { available, desired } = this.count(namespace, deployment);
    if (available >= desired) return;
    this.writeStatus(namespace, name, {
      progressing: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${name}-${hash}" has timed out progressing.`,
    });
  }

  private count(namespace: string, deployment: KubeObject): { updated: number; available: number; desired: number } {
    const spec = deployment.spec as DeploymentSpec;
    const hash = templateHash(spec);
    const pods = this.store
      .list('pods', namespace)
      .filter((p) => matchesLabels(p, selectorOf(spec)) && !p.metadata.deletionTimestamp);
    const updated = pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash);
    const available = updated.filter((p) => isReady(p)).length;
    return { updated: updated.length, available, desired: spec.replicas ?? 1 };
  }

  private updateStatus(namespace: string, name: string): void {
    const deployment = this.store.get('deployments', namespace, name);
    if (!deployment) return;
    const { available, desired } = this.count(namespace, deployment);
    if (available >= desired) this.writeStatus(namespace, name, { progressing: 'NewReplicaSetAvailable' });
    else this.writeStatus(namespace, name, {});
  }

  private writeStatus(
    namespace: string,
    name: string,
    change: { observedGeneration?: number; progressing?: string; message?: string },
  ): void {
    const deployment = this.store.get('deployments', namespace, name);
    if (!deployment) return;
    const previous = (deployment.status ?? {}) as Record<string, unknown>;
    const { updated, available, desired } = this.count(namespace, deployment);
    const conditions = ((previous.conditions as { type: string }[] | undefined) ?? []).filter(
      (c) => c.type !== 'Available' && (change.progressing === undefined || c.type !== 'Progressing'),
    );
    const availableNow = available >= desired;
    conditions.push({
      type: 'Available',
      status: availableNow ? 'True' : 'False',
      reason: availableNow ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      lastUpdateTime: timestamp(),
    } as never);
    if (change.progressing) {
      const failed = change.progressing === 'ProgressDeadlineExceeded';
      conditions.push({
        type: 'Progressing',
        status: failed ? 'False' : 'True',
        reason: change.progressing,
        message:
          change.message ?? `ReplicaSet "${name}-${templateHash(deployment.spec as DeploymentSpec)}" is progressing.`,
        lastUpdateTime: timestamp(),
      } as never);
    }
    const status = {
      ...previous,
      observedGeneration: change.observedGeneration ?? previous.observedGeneration,
      replicas: updated,
      updatedReplicas: updated,
      readyReplicas: available,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, desired - available),
      conditions,
    };
    this.store.update('deployments', namespace, { ...deployment, status });
  }
}

function selectorOf(spec: DeploymentSpec): string {
  return Object.entries(spec.selector.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function templateHash(spec: DeploymentSpec): string {
  return createHash('sha256').update(JSON.stringify(spec.template)).digest('hex').slice(0, 10);
}

function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}
