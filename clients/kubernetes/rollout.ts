import type { AppsV1Api, CoreV1Api, KubeConfig, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { translateKubernetesError } from './errors';
import { waitForObject } from './watch';
import { BuildErrorType, buildFailure } from '../../domain/build-error';

/** Where a Deployment's rollout stands, in kubectl's `rollout status` terms. */
export type RolloutState = { done: true } | { done: false; failed?: string; waiting: string };

/** kubectl's rollout logic: observed generation caught up, all replicas updated and available, no deadline hit. */
export function rolloutState(deployment: V1Deployment | undefined, generation: number): RolloutState {
  if (!deployment) return { done: false, failed: 'the Deployment was deleted during the rollout', waiting: '' };
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < generation)
    return { done: false, waiting: 'waiting for the controller to observe the new generation' };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, failed: progressing.message ?? 'progress deadline exceeded', waiting: '' };
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < desired) return { done: false, waiting: `${updated} of ${desired} replicas updated` };
  if ((status.replicas ?? 0) > updated)
    return { done: false, waiting: `${(status.replicas ?? 0) - updated} old replicas pending termination` };
  if ((status.availableReplicas ?? 0) < updated)
    return { done: false, waiting: `${status.availableReplicas ?? 0} of ${updated} updated replicas available` };
  return { done: true };
}

/** The most telling pod problem behind a stuck rollout: a waiting reason (ImagePullBackOff…) or a crash. */
export function podProblem(pods: V1Pod[]): string | undefined {
  for (const pod of pods) {
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && !['ContainerCreating', 'PodInitializing'].includes(waiting.reason)) {
        return `pod ${pod.metadata?.name}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
      }
      const terminated = status.state?.terminated ?? status.lastState?.terminated;
      if (terminated && terminated.exitCode !== 0) {
        return `pod ${pod.metadata?.name}: container ${status.name} exited with ${terminated.exitCode} (${terminated.reason ?? 'Error'})`;
      }
    }
    const unschedulable = pod.status?.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable',
    );
    if (unschedulable) return `pod ${pod.metadata?.name}: Unschedulable (${unschedulable.message ?? ''})`;
  }
  return undefined;
}

/** The Deployment generation to wait for and what to watch while it rolls out. */
export interface WaitForRolloutInput {
  kc: KubeConfig;
  apps: AppsV1Api;
  core: CoreV1Api;
  namespace: string;
  name: string;
  generation: number;
  selector: string;
  pullSecretName: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called on every change while waiting (e.g. to heartbeat a Temporal activity). */
  onProgress?(message: string): void;
}

/** Waits until the rollout is complete; a failed or timed-out rollout is a DeployFailed with the pods' reason. */
export async function waitForRollout(input: WaitForRolloutInput): Promise<V1Deployment> {
  const { apps, core, namespace, name } = input;
  const fail = async (what: string) => {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: input.selector }).then(
      (l) => l.items,
      () => [],
    );
    const problem = podProblem(pods);
    const hint = /ImagePull|ErrImagePull/.test(problem ?? '')
      ? ` The image-pull Secret "${input.pullSecretName}" may be missing or stale: save the Auto CI settings again, then roll back or redeploy.`
      : ' Check the pod logs and events, then roll back to the previous image if needed.';
    return buildFailure(
      BuildErrorType.DeployFailed,
      `Deploy failed: Deployment "${name}" in namespace "${namespace}" ${what}${problem ? `: ${problem}` : ''}.${hint}`,
    );
  };
  let failure: string | undefined;
  try {
    return await waitForObject<V1Deployment, V1Deployment>(input.kc, {
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
      name,
      list: () => apps.listNamespacedDeployment({ namespace, fieldSelector: `metadata.name=${name}` }),
      decide(deployment) {
        const state = rolloutState(deployment, input.generation);
        if (state.done) return deployment;
        input.onProgress?.(state.failed ?? state.waiting);
        if (state.failed) {
          failure = state.failed;
          throw new Error(state.failed);
        }
        return undefined;
      },
      signal: input.signal,
      timeoutMs: input.timeoutMs,
      onTimeout: () => fail(`did not become available within ${Math.round(input.timeoutMs / 1000)}s`),
    });
  } catch (error) {
    if (failure) throw await fail(`failed to roll out (${failure})`);
    if ((error as { type?: string }).type === BuildErrorType.DeployFailed || input.signal?.aborted) throw error;
    throw translateKubernetesError(error, { verb: 'watch', resource: 'deployments', namespace });
  }
}
