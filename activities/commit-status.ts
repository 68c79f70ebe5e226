import { eq } from 'drizzle-orm';
import pino from 'pino';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { builds, services, type BuildRow } from '../db/schema';
import { loadProviderConnection, plainGitMessage, type ProviderConnection } from '../clients/git-providers/connection';
import { ProviderError } from '../clients/git-providers/errors';
import { createGitHubClient } from '../clients/git-providers/github';
import type { GitHubStatusInput } from '../clients/git-providers/github-hooks';
import { createGitLabClient } from '../clients/git-providers/gitlab';
import { buildPageUrl } from '../clients/git-providers/links';
import { defaultRetryPolicy, type RetryPolicy, withProviderRetry } from '../clients/git-providers/retry';

/** Build states Kiln reports; GitLab has all five, GitHub maps running→pending and canceled→error. */
export type CommitState = 'pending' | 'running' | 'success' | 'failed' | 'canceled';

/** Which build to report, in which state. */
export interface ReportCommitStatusInput {
  buildId: string;
  state: CommitState;
}

/** The little of pino the activity uses, so tests can capture it. */
export interface StatusLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** What reporting commit statuses needs: the database, the cipher, Kiln's public URL, a logger and the retry policy. */
export interface CommitStatusDeps {
  db: Database;
  cipher: SecretCipher;
  /** Kiln's public URL; statuses link to `<publicUrl>/#/builds/<id>`. */
  publicUrl: string;
  logger?: StatusLogger;
  retry?: RetryPolicy;
}

// With the retry budget (90 s) this keeps one report well under the workflow's 3-minute activity timeout.
const REQUEST_TIMEOUT_MS = 15_000;

/** `kiln/build` for a whole build, `kiln/build: <subproject>` for one sub-project of a monorepo. */
export function statusName(subproject: string | null): string {
  return subproject ? `kiln/build: ${subproject}` : 'kiln/build';
}

const githubState: Record<CommitState, GitHubStatusInput['state']> = {
  pending: 'pending',
  running: 'pending',
  success: 'success',
  failed: 'failure',
  canceled: 'error',
};

function describe(state: CommitState, build: BuildRow): string {
  switch (state) {
    case 'pending':
      return 'Queued in Kiln';
    case 'running':
      return build.currentStep && build.currentStep !== 'Queued' ? `Building: ${build.currentStep}` : 'Building';
    case 'success':
      return 'Image built and pushed';
    case 'failed':
      return `Failed: ${build.error ?? 'see the build log in Kiln'}`.slice(0, 250);
    case 'canceled':
      return 'Cancelled in Kiln';
  }
}

/** What posting a status needs besides the connection: where the build page is, how to retry, the pipeline cache. */
interface StatusPoster {
  publicUrl: string;
  policy: RetryPolicy;
  /** GitLab pipeline each build's statuses attach to, found once per build and worker. */
  pipelineOf: Map<string, number | null>;
}

type Post = (
  poster: StatusPoster,
  connection: ProviderConnection,
  build: BuildRow,
  state: CommitState,
  sha: string,
) => Promise<'posted' | 'unchanged'>;

/**
 * Activities that report a build's state on its commit at GitLab or GitHub. `reportCommitStatus` never throws:
 * reporting is a courtesy to reviewers and must not fail or retry a build. Transient provider errors (rate limits
 * with Retry-After, 5xx, unreachable) are retried inside (4 attempts, waits up to 30 s each, no retry after 90 s,
 * 15 s per request), so one report ends within about 2 minutes: give the activity a startToCloseTimeout of 3.
 * Anything else is logged with a message saying what to fix. Only existing builds with a known commit are reported,
 * so deliveries that were skipped (branch filters, [skip ci]) never leave a pending status behind.
 */
export function createCommitStatusActivities({ db, cipher, publicUrl, logger, retry }: CommitStatusDeps) {
  const log: StatusLogger = logger ?? pino({ name: 'commit-status' });
  const poster: StatusPoster = { publicUrl, policy: retry ?? defaultRetryPolicy, pipelineOf: new Map() };
  return {
    /** Reports `state` for the build on its commit; logs and returns on any failure (see above). */
    async reportCommitStatus({ buildId, state }: ReportCommitStatusInput): Promise<void> {
      const context = { buildId, state };
      try {
        const target = await reportTarget(db, cipher, context, log);
        if (!target) return;
        const { build, sha, connection } = target;
        const post: Post = connection.kind === 'gitlab' ? postGitLab : postGitHub;
        const outcome = await post(poster, connection, build, state, sha);
        log.info(
          { ...context, provider: connection.kind, project: connection.projectPath, outcome },
          'commit status reported',
        );
      } catch (error) {
        const reason = error instanceof ProviderError ? error.message : (error as Error).message;
        const status = error instanceof ProviderError ? error.status : undefined;
        log.warn({ ...context, reason, status }, 'commit status not reported; the build continues');
      }
    },
  };
}

/** The build, its commit and its provider connection; null (with the reason logged) when there is nothing to post. */
async function reportTarget(
  db: Database,
  cipher: SecretCipher,
  context: { buildId: string; state: CommitState },
  log: StatusLogger,
): Promise<{ build: BuildRow; sha: string; connection: ProviderConnection } | null> {
  const [row] = await db
    .select({ build: builds, service: services })
    .from(builds)
    .innerJoin(services, eq(services.id, builds.serviceId))
    .where(eq(builds.id, context.buildId));
  if (!row) {
    log.warn(context, 'commit status not reported: the build does not exist');
    return null;
  }
  const { build, service } = row;
  if (!build.sha) {
    log.info(context, 'commit status not reported: the build has no commit yet');
    return null;
  }
  const result = await loadProviderConnection(db, cipher, service);
  if (!result.ok) {
    log.warn({ ...context, reason: result.message }, 'commit status not reported');
    return null;
  }
  if (!result.connection.providerApi) {
    // The build log says so once, at the clone (activities/source.ts); nothing is sent to the server.
    const reason = plainGitMessage(result.connection.baseUrl, 'commit-status');
    log.info({ ...context, reason }, 'commit status skipped');
    return null;
  }
  return { build, sha: build.sha, connection: result.connection };
}

const postGitLab: Post = async ({ publicUrl, policy, pipelineOf }, connection, build, state, sha) => {
  const client = createGitLabClient({
    baseUrl: connection.baseUrl,
    token: connection.token,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const ref = build.branch ?? build.tag ?? undefined;
  if (!pipelineOf.has(build.id)) {
    const mergeRequest = build.event === 'merge_request';
    // Without a pipeline id GitLab attaches the status to the newest pipeline of sha+ref (or makes one); a
    // failed lookup therefore only costs precision, never the report.
    const found = await client.findPipelineForCommit(connection.project, sha, { mergeRequest, ref }).catch(() => null);
    if (found) pipelineOf.set(build.id, found.id);
    if (pipelineOf.size > 5_000) pipelineOf.delete(pipelineOf.keys().next().value!);
  }
  const pipelineId = pipelineOf.get(build.id) ?? undefined;
  const input = {
    state,
    name: statusName(build.subproject),
    targetUrl: buildPageUrl(publicUrl, build.id),
    description: describe(state, build),
    ref,
    pipelineId,
  };
  return withProviderRetry(() => client.setCommitStatus(connection.project, sha, input), policy);
};

const postGitHub: Post = async ({ publicUrl, policy }, connection, build, state, sha) => {
  const client = createGitHubClient({
    baseUrl: connection.baseUrl,
    token: connection.token,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const input: GitHubStatusInput = {
    state: githubState[state],
    context: statusName(build.subproject),
    targetUrl: buildPageUrl(publicUrl, build.id),
    description: describe(state, build),
  };
  await withProviderRetry(() => client.setCommitStatus(connection.projectPath, sha, input), policy);
  return 'posted' as const;
};

/** The activities' type, for `proxyActivities<CommitStatusActivities>()` in workflows. */
export type CommitStatusActivities = ReturnType<typeof createCommitStatusActivities>;
