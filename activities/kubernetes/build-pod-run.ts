import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import type { BuildContext, BuildRequest } from '../builders/builder';
import type { BuildPodOutcome } from './build-pod-outcome';
import { classifyBuildPod, pendingFailure } from './build-pod-outcome';
import { translateKubernetesError } from './errors';
import { followContainerLog } from './pod-logs';
import { watchNamed } from './watch';

export interface WatchBuildPodInput {
  kc: KubeConfig;
  namespace: string;
  pod: string;
  request: BuildRequest;
  context: BuildContext;
  pendingTimeoutMs: number;
}

const containers = ['clone', 'buildkit'] as const;
const drainLogsMs = 3_000;
const outputKeptChars = 64 * 1024;

function containerStarted(pod: V1Pod | undefined, name: string): boolean {
  const all = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
  const state = all.find((s) => s.name === name)?.state;
  return Boolean(state?.running || state?.terminated);
}

/** Pending and nothing has started yet: unscheduled, pulling, or waiting for a volume. */
function notStarted(pod: V1Pod | undefined): boolean {
  return pod?.status?.phase === 'Pending' && !containers.some((name) => containerStarted(pod, name));
}

/**
 * Follows a build pod until it succeeds (resolves) or fails (throws the mapped build error): one watch on the
 * pod drives everything, the clone and BuildKit logs are streamed into the build log line by line, a pod that
 * stays Pending too long fails, and the user's cancel (context.signal) throws its reason.
 */
export async function watchBuildPod(input: WatchBuildPodInput): Promise<void> {
  const { kc, namespace, request, context } = input;
  const core = kc.makeApiClient(CoreV1Api);
  const started = Date.now();
  let latest: V1Pod | undefined;
  let seen = false;
  let watchError: unknown;
  let pendingExpired = false;
  let output = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((check) => check());

  const until = <R>(decide: (pod: V1Pod | undefined) => R | undefined): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const check = () => {
        let result: R | undefined;
        if (context.signal.aborted) reject(context.signal.reason ?? new Error('Build cancelled'));
        else if (watchError)
          reject(translateKubernetesError(watchError, { verb: 'watch', resource: 'pods', namespace }));
        else if (seen && (result = decide(latest)) !== undefined) resolve(result);
        else return;
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const stopWatch = watchNamed<V1Pod>(kc, {
    path: `/api/v1/namespaces/${namespace}/pods`,
    name: input.pod,
    list: () => core.listNamespacedPod({ namespace, fieldSelector: `metadata.name=${input.pod}` }),
    onObject(pod) {
      latest = pod;
      seen = true;
      context.heartbeat({ pod: input.pod, phase: pod?.status?.phase });
      notify();
    },
    onError(error) {
      watchError = error;
      notify();
    },
  });
  const logsAbort = new AbortController();
  const pendingTimer = setTimeout(() => {
    pendingExpired = true;
    notify();
  }, input.pendingTimeoutMs);
  context.signal.addEventListener('abort', notify, { once: true });
  let pushing = false;
  let decided = false;

  const followLogs = async () => {
    for (const container of containers) {
      const ready = await until((pod) =>
        containerStarted(pod, container) ? true : decided || isOver(pod) ? false : undefined,
      ).catch(() => false);
      if (!ready) return;
      context.log.write(
        'system',
        container === 'clone' ? `Cloning ${request.source.sha.slice(0, 12)}…` : 'Building with BuildKit…',
      );
      const onLine = (line: string) => {
        context.log.write('stdout', line);
        if (container === 'buildkit') output = `${output}${line}\n`.slice(-outputKeptChars);
        if (container === 'buildkit' && !pushing && /\bpushing\b/.test(line)) {
          pushing = true;
          context.phase?.('push');
        }
      };
      await followContainerLog(kc, { namespace, pod: input.pod, container }, onLine, logsAbort.signal).catch(
        () => undefined,
      );
    }
  };
  const isOver = (pod: V1Pod | undefined) =>
    ['succeeded', 'failed'].includes(classifyBuildPod(pod, request, output).state);

  const logs = followLogs();
  try {
    const outcome = await until<BuildPodOutcome>((pod) => {
      const current = classifyBuildPod(pod, request, output);
      if (current.state === 'succeeded' || current.state === 'failed') return current;
      if (pendingExpired && notStarted(pod))
        return { state: 'failed', error: pendingFailure(pod, Math.round((Date.now() - started) / 1000)) };
      return undefined;
    });
    // The log streams end with the containers; wait for them so the last lines (and the error) are seen.
    decided = true;
    notify();
    await Promise.race([logs, new Promise((resolve) => setTimeout(resolve, drainLogsMs))]);
    if (outcome.state === 'failed') {
      const final = latest ? classifyBuildPod(latest, request, output) : outcome;
      throw final.state === 'failed' ? final.error : outcome.error;
    }
  } finally {
    clearTimeout(pendingTimer);
    context.signal.removeEventListener('abort', notify);
    stopWatch();
    logsAbort.abort();
  }
}
