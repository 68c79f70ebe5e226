import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { translateKubernetesError } from '../../clients/kubernetes/errors';
import { watchNamed } from '../../clients/kubernetes/watch';

/**
 * One watch on one pod, shared by everything waiting for a state of it (the outcome, each container's start).
 * Waits end with the user's cancel (`signal`'s reason) or a watch failure as well.
 */
export class PodTracker {
  latest: V1Pod | undefined;
  private seen = false;
  private error: unknown;
  private readonly listeners = new Set<() => void>();
  private readonly stopWatch: () => void;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
    name: string,
    private readonly signal: AbortSignal,
    onChange: (pod: V1Pod | undefined) => void,
  ) {
    const core = kc.makeApiClient(CoreV1Api);
    this.stopWatch = watchNamed<V1Pod>(kc, {
      path: `/api/v1/namespaces/${namespace}/pods`,
      name,
      list: () => core.listNamespacedPod({ namespace, fieldSelector: `metadata.name=${name}` }),
      onObject: (pod) => {
        this.latest = pod;
        this.seen = true;
        onChange(pod);
        this.notify();
      },
      onError: (error) => {
        this.error = error;
        this.notify();
      },
    });
    signal.addEventListener('abort', this.notify, { once: true });
  }

  /** Re-evaluates every pending wait (after the pod changed, a timer fired, or a decision was made). */
  readonly notify = (): void => this.listeners.forEach((check) => check());

  /** Resolves with the first defined `decide(latest pod)`; re-asked on every change. */
  until<R>(decide: (pod: V1Pod | undefined) => R | undefined): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const check = () => {
        let result: R | undefined;
        if (this.signal.aborted) reject(this.signal.reason ?? new Error('Build cancelled'));
        else if (this.error)
          reject(translateKubernetesError(this.error, { verb: 'watch', resource: 'pods', namespace: this.namespace }));
        else if (this.seen && (result = decide(this.latest)) !== undefined) resolve(result);
        else return;
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  stop(): void {
    this.signal.removeEventListener('abort', this.notify);
    this.stopWatch();
  }
}
