// Conformance: the basics every Kiln workflow depends on, against the devserver or TEMPORAL_ADDRESS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('devserver conformance: core', () => {
  it('returns an activity result and the history replays', async () => {
    const workflowId = h.id('greet');
    const result = await h.temporal.client.workflow.execute('greetWorkflow', { taskQueue: h.taskQueue, workflowId, args: ['Kiln'] });
    expect(result).toBe('Hello, Kiln!');
    await h.replay(workflowId);
  });
});
