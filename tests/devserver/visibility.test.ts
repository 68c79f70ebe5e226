// The visibility query subset Kiln uses, evaluated against in-memory runs.
import { describe, expect, it } from 'vitest';
import { jsonPayload } from '../../devserver/proto';
import type { WorkflowRun } from '../../devserver/state';
import { matches, parseVisibilityQuery } from '../../devserver/visibility';

function run(fields: Partial<WorkflowRun>, attrs: Record<string, unknown> = {}): WorkflowRun {
  const searchAttributes = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, jsonPayload(v)]));
  return {
    workflowId: 'wf-1',
    runId: 'r1',
    workflowType: 'buildWorkflow',
    taskQueue: 'kiln',
    status: 1,
    startTime: 1000,
    searchAttributes,
    ...fields,
  } as WorkflowRun;
}

const query = (q: string, r: WorkflowRun) => matches(parseVisibilityQuery(q), r);

describe('devserver visibility queries', () => {
  const building = run({}, { KilnServiceId: ['svc-1'], KilnBuildId: 'b-7' });
  const done = run({ workflowId: 'wf-2', status: 2 }, { KilnServiceId: ['svc-2'] });

  it('matches type, id, status and keyword attributes joined with AND/OR', () => {
    expect(query(`WorkflowType = 'buildWorkflow' AND KilnServiceId = 'svc-1'`, building)).toBe(true);
    expect(query(`WorkflowType = 'buildWorkflow' AND KilnServiceId = 'svc-1'`, done)).toBe(false);
    expect(query(`ExecutionStatus = 'Running' OR KilnServiceId = "svc-2"`, done)).toBe(true);
    expect(query(`(ExecutionStatus = 'Completed' OR WorkflowId = 'wf-1') AND TaskQueue = 'kiln'`, building)).toBe(true);
  });

  it('supports !=, IN, NOT IN, STARTS_WITH, IS NULL and ignores ORDER BY', () => {
    expect(query(`ExecutionStatus != 'Running'`, building)).toBe(false);
    expect(query(`WorkflowId IN ('wf-1', 'wf-9')`, building)).toBe(true);
    expect(query(`KilnBuildId NOT IN ('b-7')`, building)).toBe(false);
    expect(query(`WorkflowId STARTS_WITH 'wf-'`, done)).toBe(true);
    expect(query(`KilnBuildId IS NULL`, done)).toBe(true);
    expect(query(`KilnServiceId = 'svc-1' ORDER BY StartTime DESC`, building)).toBe(true);
    expect(query('', done)).toBe(true);
  });

  it('rejects malformed queries with a clear INVALID_ARGUMENT', () => {
    expect(() => parseVisibilityQuery(`WorkflowId = `)).toThrow(/ended early/);
    expect(() => parseVisibilityQuery(`WorkflowId ~ 'x'`)).toThrow(/visibility query/);
    expect(() => parseVisibilityQuery(`WorkflowId = bare`)).toThrow(/quote strings/);
  });
});
