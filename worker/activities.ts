import { createAcknowledgeActivities } from '../activities/acknowledge';

/** Everything the activities of one worker process share; built once at worker start. */
export interface ActivityDeps {
  dataDir: string;
}

/** The short bookkeeping activities of the build workflow (build task queue). */
export function createBuildQueueActivities(_deps: ActivityDeps) {
  return { ...createAcknowledgeActivities() };
}

/** The long builder activities, limited by the worker's build slots (builder task queue). */
export function createBuilderQueueActivities(_deps: ActivityDeps) {
  return {};
}
