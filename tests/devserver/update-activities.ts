// Activities of the update and eager-execution suites; each worker names itself so a test sees who ran them.

/** The activities a worker of the update suites registers, answering with the worker's name. */
export function createUpdateActivities(workerName: string) {
  return {
    /** Says which worker ran it. */
    async whoAnswers(): Promise<string> {
      return workerName;
    },
    /** Waits `ms` (run as a local activity, it keeps its workflow task started meanwhile). */
    async pause(ms: number): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}

/** The activity interface the update-suite workflows proxy. */
export type UpdateActivities = ReturnType<typeof createUpdateActivities>;
