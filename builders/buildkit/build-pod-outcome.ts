import type { ApplicationFailure } from '@temporalio/common';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { BuildRequest } from '../builder';
import { cloneAdvice } from '../../git/git-command';
import { buildTimeoutFailure } from '../timeout';
import { authFailure } from '../../clients/registry';
import { BuildErrorType, buildFailure } from '../../domain/build-error';

/** Where a build pod stands: still going, done, or failed with the error the user sees. */
export type BuildPodOutcome =
  { state: 'pending' | 'running' } | { state: 'succeeded' } | { state: 'failed'; error: ApplicationFailure };

// ErrImagePull alone is retried by the kubelet; ImagePullBackOff means it already failed and is backing off.
const pullFailures = ['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'];

function statuses(pod: V1Pod): { init: V1ContainerStatus[]; main: V1ContainerStatus[] } {
  return { init: pod.status?.initContainerStatuses ?? [], main: pod.status?.containerStatuses ?? [] };
}

/** The last few non-empty lines, which is where BuildKit and git put the reason. */
function lastLines(text: string, count = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

function failed(type: BuildErrorType, message: string): BuildPodOutcome {
  return { state: 'failed', error: buildFailure(type, message) };
}

/** Reads a failed BuildKit run: a missing Dockerfile or a refused push get their own messages. */
function buildkitFailure(request: BuildRequest, exitCode: number, output: string): BuildPodOutcome {
  if (/failed to read dockerfile|failed to solve: .*dockerfile.*no such file/i.test(output)) {
    return failed(
      BuildErrorType.DockerfileNotFound,
      `Dockerfile not found: ${request.dockerfilePath} does not exist at commit ${request.source.sha.slice(0, 12)}. Generate a Dockerfile with Build Wizard or fix the Dockerfile path.`,
    );
  }
  if (/401 Unauthorized|unauthorized: |failed to authorize|authentication required|insufficient_scope/i.test(output)) {
    return { state: 'failed', error: authFailure(request.registry) };
  }
  return failed(
    BuildErrorType.BuildFailed,
    `Build failed: BuildKit exited with code ${exitCode}: ${lastLines(output)}. See the build log for details.`,
  );
}

/**
 * Turns the pod's status (and the build output seen so far) into an outcome. Order matters: the deadline and
 * the OOM killer explain a failure better than the exit code they caused.
 */
export function classifyBuildPod(pod: V1Pod | undefined, request: BuildRequest, output: string): BuildPodOutcome {
  if (!pod)
    return failed(
      BuildErrorType.BuildFailed,
      'Build failed: the build pod was deleted before it finished (by someone else or by the cluster). Start the build again.',
    );
  const { memoryMiB, profile } = request.resources;
  if (pod.status?.phase === 'Failed' && pod.status.reason === 'DeadlineExceeded') {
    return { state: 'failed', error: buildTimeoutFailure(request.resources) };
  }
  const { init, main } = statuses(pod);
  for (const status of [...init, ...main]) {
    if (status.state?.terminated?.reason === 'OOMKilled') {
      return failed(
        BuildErrorType.BuildOutOfMemory,
        `Build ran out of memory: container "${status.name}" was OOMKilled at its ${memoryMiB} MiB limit (profile ${profile}); try a larger build profile.`,
      );
    }
    const waiting = status.state?.waiting;
    if (waiting?.reason && pullFailures.includes(waiting.reason)) {
      return failed(
        BuildErrorType.ImagePullBackOff,
        `ImagePullBackOff: the build pod cannot pull ${status.name} image "${status.image}" (${waiting.message ?? waiting.reason}). Check that the cluster can reach that registry and the image exists.`,
      );
    }
  }
  const clone = init.find((s) => s.name === 'clone')?.state?.terminated;
  if (clone && clone.exitCode !== 0) {
    return failed(
      BuildErrorType.GitCloneFailed,
      `Git clone failed: could not fetch ${request.source.sha.slice(0, 12)} from ${request.source.repositoryUrl} (${lastLines(clone.message ?? '', 2) || `exit code ${clone.exitCode}`}). ${cloneAdvice(request.source.provider)}`,
    );
  }
  const buildkit = main.find((s) => s.name === 'buildkit')?.state?.terminated;
  if (buildkit && buildkit.exitCode !== 0)
    return buildkitFailure(request, buildkit.exitCode, `${output}\n${buildkit.message ?? ''}`);
  if (pod.status?.phase === 'Succeeded') return { state: 'succeeded' };
  if (pod.status?.phase === 'Failed')
    return failed(
      BuildErrorType.BuildFailed,
      `Build failed: the build pod failed (${pod.status.reason ?? 'unknown reason'}: ${pod.status.message ?? ''}).`,
    );
  return { state: pod.status?.phase === 'Running' ? 'running' : 'pending' };
}

/** Why a pod is still Pending once it has waited too long: unschedulable, or stuck for another reason. */
export function pendingFailure(pod: V1Pod | undefined, waitedSeconds: number): ApplicationFailure {
  const unschedulable = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) {
    return buildFailure(
      BuildErrorType.Unschedulable,
      `Unschedulable: no node can run the build pod (${unschedulable.message ?? unschedulable.reason ?? 'no reason given'}). Choose a smaller build profile, or ask the cluster administrator for build nodes that match Kiln's node selector and tolerations.`,
    );
  }
  const waiting = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])].find(
    (s) => s.state?.waiting,
  )?.state?.waiting;
  const why = waiting
    ? `${waiting.reason ?? 'waiting'}${waiting.message ? `: ${waiting.message}` : ''}`
    : 'no progress';
  return buildFailure(
    BuildErrorType.BuildStuckPending,
    `Build stuck in Pending for ${waitedSeconds}s (${why}). Wait for running builds to finish or cancel unnecessary builds, then retry.`,
  );
}
