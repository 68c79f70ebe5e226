import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { BuildContext, BuildRequest } from '../builder';
import type { BuildPodOutcome } from './build-pod-outcome';
import { classifyBuildPod, pendingFailure } from './build-pod-outcome';
import { followContainerLog } from './pod-logs';
import { PodTracker } from './pod-tracker';

/** The BuildKit pod to follow until it ends, with the build it runs and how long it may stay Pending. */
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

/** What the log followers and the outcome share while one build pod runs. */
interface RunState {
  output: string;
  decided: boolean;
  pendingExpired: boolean;
}

/**
 * Streams the clone, then the BuildKit container's log into the build log as each starts; keeps the tail of
 * BuildKit's output for error messages and reports the Push step when BuildKit starts pushing.
 */
async function followBuildLogs(input: WatchBuildPodInput, tracker: PodTracker, state: RunState, stop: AbortSignal) {
  const { kc, namespace, request, context } = input;
  let pushing = false;
  for (const container of containers) {
    const isOver = (pod: V1Pod | undefined) =>
      state.decided || classifyBuildPod(pod, request, state.output).state === 'failed';
    const ready = await tracker
      .until((pod) =>
        containerStarted(pod, container) ? true : isOver(pod) || pod?.status?.phase === 'Succeeded' ? false : undefined,
      )
      .catch(() => false);
    if (!ready) return;
    context.log.write(
      'system',
      container === 'clone' ? `Cloning ${request.source.sha.slice(0, 12)}…` : 'Building with BuildKit…',
    );
    const onLine = (line: string) => {
      context.log.write('stdout', line);
      if (container !== 'buildkit') return;
      state.output = `${state.output}${line}\n`.slice(-outputKeptChars);
      if (!pushing && /\bpushing\b/.test(line)) {
        pushing = true;
        context.phase?.('push');
      }
    };
    await followContainerLog(kc, { namespace, pod: input.pod, container }, onLine, stop).catch(() => undefined);
  }
}

/**
 * Follows a build pod until it succeeds (resolves) or fails (throws the mapped build error): one watch on the
 * pod drives everything, the logs are streamed line by line, a pod that stays Pending too long fails, and the
 * user's cancel (context.signal) throws its reason.
 */
export async function watchBuildPod(input: WatchBuildPodInput): Promise<void> {
  const { request, context } = input;
  const started = Date.now();
  const state: RunState = { output: '', decided: false, pendingExpired: false };
  const heartbeat = (pod: V1Pod | undefined) => context.heartbeat({ pod: input.pod, phase: pod?.status?.phase });
  const tracker = new PodTracker(input.kc, input.namespace, input.pod, context.signal, heartbeat);
  const pendingTimer = setTimeout(() => {
    state.pendingExpired = true;
    tracker.notify();
  }, input.pendingTimeoutMs);
  const logsAbort = new AbortController();
  const logs = followBuildLogs(input, tracker, state, logsAbort.signal);
  try {
    const outcome = await tracker.until<BuildPodOutcome>((pod) => {
      const current = classifyBuildPod(pod, request, state.output);
      if (current.state === 'succeeded' || current.state === 'failed') return current;
      if (state.pendingExpired && notStarted(pod)) {
        return { state: 'failed', error: pendingFailure(pod, Math.round((Date.now() - started) / 1000)) };
      }
      return undefined;
    });
    // The log streams end with the containers; wait for them so the last lines (and the error) are seen.
    state.decided = true;
    tracker.notify();
    await Promise.race([logs, new Promise((resolve) => setTimeout(resolve, drainLogsMs))]);
    if (outcome.state === 'failed') {
      const final = tracker.latest ? classifyBuildPod(tracker.latest, request, state.output) : outcome;
      throw final.state === 'failed' ? final.error : outcome.error;
    }
  } finally {
    clearTimeout(pendingTimer);
    tracker.stop();
    logsAbort.abort();
  }
}
