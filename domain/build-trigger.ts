/** What started a build and which Git event it builds. Pure: no I/O. */

/** Who asked for the build: a webhook delivery, a user through the API, or a retry of an earlier build. */
export const buildTriggers = ['webhook', 'api', 'retry'] as const;
export type BuildTrigger = (typeof buildTriggers)[number];

/** The Git event a build is for. */
export const buildEvents = ['push', 'tag', 'merge_request', 'pull_request', 'manual'] as const;
export type BuildEvent = (typeof buildEvents)[number];
