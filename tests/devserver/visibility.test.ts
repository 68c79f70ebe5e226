// The visibility query subset, resolved against a namespace's search attributes and evaluated on in-memory runs.
import { describe, expect, it } from 'vitest';
import { IndexedValueType } from '../../devserver/codes';
import { decodePayload, jsonPayload } from '../../devserver/proto';
import { SYSTEM_ATTRIBUTES } from '../../devserver/search-attributes';
import type { WorkflowRun } from '../../devserver/state';
import { groupsByStatus, matches, resolveVisibilityQuery } from '../../devserver/visibility';
import { parseVisibilityQuery } from '../../devserver/visibility-query';

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

const registered: Record<string, number> = {
  ...SYSTEM_ATTRIBUTES,
  KilnServiceId: IndexedValueType.KEYWORD,
  KilnBuildId: IndexedValueType.KEYWORD,
  DeployedAt: IndexedValueType.DATETIME,
  Retries: IndexedValueType.INT,
  TemporalChangeVersion: IndexedValueType.KEYWORD_LIST,
};
const typeOf = (name: string) => registered[name];
const resolve = (q: string, purpose: 'list' | 'count' = 'list') => resolveVisibilityQuery(q, typeOf, purpose);
const query = (q: string, r: WorkflowRun) => matches(resolve(q).filter, r);

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
    expect(() => parseVisibilityQuery(`WorkflowId = `)).toThrow(/^invalid query: .*ended early/);
    expect(() => parseVisibilityQuery(`WorkflowId ~ 'x'`)).toThrow(/^invalid query: malformed SQL query/);
    expect(() => parseVisibilityQuery(`WorkflowId = bare`)).toThrow(/quote strings/);
  });

  it('refuses an attribute the namespace has not registered, as the real server does', () => {
    expect(() => resolve(`KilnOwner = 'me'`)).toThrow(
      "invalid query: invalid expression: column name 'KilnOwner' is not a valid search attribute",
    );
    expect(() => resolve(`KilnServiceId = 'a' OR (Unknown IS NULL)`)).toThrow(/'Unknown' is not a valid/);
    // The `Temporal` prefix may be left out, and ScheduleId means WorkflowId, as on the real server.
    expect(query(`ChangeVersion = 'v2'`, run({}, { TemporalChangeVersion: ['v2'] }))).toBe(true);
    expect(query(`ScheduleId = 'wf-1'`, building)).toBe(true);
  });

  it('compares Datetime attributes as times and Int attributes as numbers', () => {
    const deployed = run({}, { DeployedAt: '2026-03-01T10:00:00.000Z', Retries: 3 });
    expect(query(`DeployedAt > '2026-03-01T09:59:59Z'`, deployed)).toBe(true);
    // 11:00 at +01:00 is 10:00Z: the same instant, whatever the string says.
    expect(query(`DeployedAt <= '2026-03-01T11:00:00+01:00'`, deployed)).toBe(true);
    expect(query(`DeployedAt < '2026-03-01T11:00:00+01:00'`, deployed)).toBe(false);
    expect(query(`DeployedAt = '2026-03-01T10:00:00Z'`, deployed)).toBe(true);
    expect(query(`DeployedAt >= '2026-03-02T00:00:00Z'`, deployed)).toBe(false);
    expect(query(`Retries >= 3 AND Retries < 4`, deployed)).toBe(true);
    expect(query(`StartTime < '1970-01-01T00:00:02Z'`, deployed)).toBe(true);
  });

  it('allows GROUP BY ExecutionStatus in counts only, and counts each status present in status order', () => {
    expect(resolve(`WorkflowType = 'buildWorkflow' GROUP BY ExecutionStatus`, 'count').groupBy).toEqual([
      'ExecutionStatus',
    ]);
    expect(() => resolve(`GROUP BY ExecutionStatus`, 'list')).toThrow("'GROUP BY' clause");
    expect(() => resolve(`GROUP BY WorkflowType`, 'count')).toThrow(
      "invalid query: operation is not supported: 'GROUP BY' clause is not supported for search attribute WorkflowType",
    );
    expect(() => resolve(`GROUP BY ExecutionStatus, TaskQueue`, 'count')).toThrow(/only a single field/);
    const groups = groupsByStatus([done, building, run({ status: 2 }), run({ status: 3 })]);
    expect(groups.map((g) => [decodePayload(g.groupValues[0]), g.count])).toEqual([
      ['Running', 1],
      ['Completed', 2],
      ['Failed', 1],
    ]);
    expect(Buffer.from(groups[0]!.groupValues[0]!.metadata!.type!).toString()).toBe('Keyword');
  });
});
