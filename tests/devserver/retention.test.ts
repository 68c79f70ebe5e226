// Retention: closed runs past their namespace's retention disappear; open and recent runs stay.
import { describe, expect, it } from 'vitest';
import { sweepClosedRuns } from '../../devserver/retention';
import { Scheduler } from '../../devserver/scheduler';
import type { ServerState, WorkflowRun } from '../../devserver/state';

const DAY = 86_400_000;

describe('devserver retention', () => {
  it('forgets closed runs older than the retention and keeps the rest', () => {
    const now = Date.now();
    const run = (runId: string, status: number, closeTime: number) =>
      ({ namespace: 'default', workflowId: runId, runId, status, closeTime }) as WorkflowRun;
    const state: ServerState = {
      namespaces: new Map([['default', { name: 'default', id: 'ns', retentionDays: 7 }]]),
      runs: new Map([
        ['old', run('old', 2, now - 8 * DAY)],
        ['recent', run('recent', 3, now - 6 * DAY)],
        ['open', run('open', 1, 0)],
      ]),
      latest: new Map([['default/old', 'old']]),
    };
    let persisted = 0;
    const removed = sweepClosedRuns(
      { state, scheduler: new Scheduler(() => undefined), persist: () => void persisted++ },
      now,
    );
    expect(removed).toBe(1);
    expect([...state.runs.keys()].sort()).toEqual(['open', 'recent']);
    expect(state.latest.has('default/old')).toBe(false);
    expect(persisted).toBe(1);
  });
});
