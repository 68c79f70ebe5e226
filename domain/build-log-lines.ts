import type { BuildResources } from './build-profile';
import type { BuildStatus } from './build-status';

// The system lines a build's log shows at its start, Profile step and end. Pure: no I/O.

/** The fields of a build these lines read. */
export interface BuildLineFields {
  trigger: string;
  event: string;
  provider: string | null;
  ref: string;
  branch: string | null;
  tag: string | null;
  mergeRequestIid: number | null;
  pullRequestNumber: number | null;
  retryOfBuildId: string | null;
  sha: string | null;
  commitMessage: string | null;
  commitAuthor: string | null;
}

/** The timeout part of the "Build profile" line, naming the worker cap when it applies. */
export function describeTimeout(resources: BuildResources, maxSeconds: number | undefined): string {
  const seconds = resources.timeoutSeconds;
  const limit = seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
  return seconds === maxSeconds ? `${limit} timeout, the worker's KILN_MAX_BUILD_SECONDS cap` : `${limit} timeout`;
}

/** "Node.js / Express", for the line saying why `auto` chose a profile. */
export function describeProject(project: { language: string | null; framework: string | null }): string {
  return [project.language, project.framework].filter(isText).join(' / ') || 'an unrecognised project';
}

/** "Triggered by …": what started the build. */
export function triggerLine(build: BuildLineFields): string {
  if (build.trigger === 'webhook') {
    const what =
      build.event === 'tag'
        ? `tag ${build.tag}`
        : build.event === 'merge_request'
          ? `merge request !${build.mergeRequestIid} from ${build.branch ?? build.ref}`
          : build.event === 'pull_request'
            ? `pull request #${build.pullRequestNumber} from ${build.branch ?? build.ref}`
            : `push to ${build.branch ?? build.ref}`;
    return `Triggered by Webhook (${build.provider ?? 'git'} ${what})`;
  }
  if (build.trigger === 'retry')
    return `Triggered by retry${build.retryOfBuildId ? ` of build ${build.retryOfBuildId}` : ''}`;
  return `Triggered by API (${build.branch ?? build.ref})`;
}

/** "Commit abcd1234: message (author)", or undefined before the sha is known. */
export function commitLine(build: BuildLineFields): string | undefined {
  if (!build.sha) return undefined;
  const message = build.commitMessage?.split('\n')[0];
  return `Commit ${build.sha.slice(0, 8)}${message ? `: ${message}` : ''}${build.commitAuthor ? ` (${build.commitAuthor})` : ''}`;
}

/** The last line of every build's log: the outcome, how long it took and the error a user acts on. */
export function closingLine(status: BuildStatus, durationMs: number, error?: string): string {
  const took = `${(durationMs / 1000).toFixed(1)} s`;
  if (status === 'Succeeded') return `Build succeeded in ${took}`;
  if (status === 'Cancelled') return `Build cancelled after ${took}${error ? `: ${error}` : ''}`;
  return `Build failed after ${took}: ${error ?? 'see the lines above'}`;
}

/** A non-empty string (filters optional log lines). */
export function isText(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
