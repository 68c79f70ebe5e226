/** Task queue of build workflows and their short bookkeeping activities; versioned so a breaking change gets a new queue. */
export const BUILD_TASK_QUEUE = 'kiln-builds-v1';

/**
 * Task queue of the long builder activities. Its worker runs at most `KILN_MAX_CONCURRENT_BUILDS` of them, so a
 * build waiting here is "pending" and times out by schedule-to-start when every build slot stays busy.
 */
export const BUILDER_TASK_QUEUE = 'kiln-builders-v1';

/**
 * Workflow id of a build started by a webhook delivery: the delivery's build key (a signed delivery id, or the
 * signed body's hash) makes redeliveries and replays land on the same run.
 */
export function webhookBuildWorkflowId(provider: 'github' | 'gitlab', buildKey: string, serviceId: string): string {
  return `build-${provider}-${buildKey}-${serviceId}`;
}

/** Workflow id of a build started through the API, a retry, or a monorepo child: the build id is the business key. */
export function buildWorkflowId(buildId: string): string {
  return `build-${buildId}`;
}

/**
 * Workflow id of a service's rollback: the service is the business key, so while one rollback runs a second is
 * refused (the API starts it with the FAIL conflict policy) and a finished one may be followed by the next.
 */
export function rollbackWorkflowId(serviceId: string): string {
  return `rollback-${serviceId}`;
}
