import { log } from '@temporalio/activity';

/** Input of the placeholder build step. */
export interface AcknowledgeInput {
  buildId: string;
}

/** The placeholder build step: records that the worker picked the build up. Replaced by the real pipeline. */
export function createAcknowledgeActivities() {
  return {
    async acknowledgeBuild(input: AcknowledgeInput): Promise<{ acknowledgedAt: string }> {
      log.info('Build acknowledged', { buildId: input.buildId });
      return { acknowledgedAt: new Date().toISOString() };
    },
  };
}

export type AcknowledgeActivities = ReturnType<typeof createAcknowledgeActivities>;
