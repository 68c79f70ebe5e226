import type { KubeObject, ObjectStore } from './store';

/** The slice of a V1Container the kubelet reads. */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  workingDir?: string;
  terminationMessagePolicy?: string;
}

export interface PodSpec {
  initContainers?: ContainerSpec[];
  containers: ContainerSpec[];
  volumes?: {
    name: string;
    emptyDir?: object;
    secret?: { secretName: string; items?: { key: string; path: string }[] };
  }[];
  activeDeadlineSeconds?: number;
  restartPolicy?: string;
  imagePullSecrets?: { name: string }[];
}

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string } };

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Writes pod status the way the kubelet does: read the latest object, change status, PUT it back. */
export class PodStatusWriter {
  constructor(
    private readonly store: ObjectStore,
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  current(): KubeObject | undefined {
    return this.store.get('pods', this.namespace, this.name);
  }

  patch(change: (status: Record<string, unknown>, spec: PodSpec) => void): void {
    const pod = this.current();
    if (!pod) return;
    const status = (pod.status ?? {}) as Record<string, unknown>;
    change(status, pod.spec as PodSpec);
    this.store.update('pods', this.namespace, { ...pod, status });
  }

  condition(type: string, value: 'True' | 'False', reason?: string, message?: string): void {
    this.patch((status) => {
      const conditions = ((status.conditions as object[] | undefined) ?? []).filter(
        (c) => (c as { type: string }).type !== type,
      );
      conditions.push({
        type,
        status: value,
        lastTransitionTime: now(),
        ...(reason ? { reason } : {}),
        ...(message ? { message } : {}),
      });
      status.conditions = conditions;
    });
  }

  /** Sets one container's state in `initContainerStatuses` or `containerStatuses`. */
  container(spec: ContainerSpec, init: boolean, state: ContainerState, ready = false): void {
    this.patch((status) => {
      const field = init ? 'initContainerStatuses' : 'containerStatuses';
      const list = ((status[field] as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.name !== spec.name);
      list.push({
        name: spec.name,
        image: spec.image,
        imageID: '',
        ready,
        restartCount: 0,
        started: 'running' in state,
        state,
      });
      status[field] = list;
    });
  }

  phase(phase: string, extra: Record<string, unknown> = {}): void {
    this.patch((status) => Object.assign(status, { phase }, extra));
  }
}

export { now as timestamp };
