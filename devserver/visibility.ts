// Evaluating visibility queries on runs: attribute names resolved against the namespace's search attributes
// (unknown ones refused as on the real server), values compared by their attribute's type (Datetime as times),
// and the groups of `COUNT … GROUP BY ExecutionStatus`.
import { IndexedValueType as T, STATUS_NAMES } from './codes';
import { decodePayload, type Payload } from './proto';
import { SYSTEM_ATTRIBUTES, typedJsonPayload } from './search-attributes';
import type { WorkflowRun } from './state';
import { invalidQuery, parseVisibilityQuery, type Filter, type Value, type VisibilityQuery } from './visibility-query';

/** An attribute's IndexedValueType by name (custom, predefined or system); undefined when the namespace lacks it. */
export type AttributeTypes = (name: string) => number | undefined;

function resolveName(name: string, typeOf: AttributeTypes): { field: string; type: number } {
  const direct = typeOf(name);
  if (direct !== undefined) return { field: name, type: direct };
  // As the real server: ScheduleId means WorkflowId, and the `Temporal` prefix may be added or left out.
  const bare = name.replace(/^Temporal/, '');
  const alternative = bare === 'ScheduleId' ? 'WorkflowId' : bare !== name ? bare : `Temporal${name}`;
  const type = typeOf(alternative);
  if (type !== undefined) return { field: alternative, type };
  throw invalidQuery(`invalid expression: column name '${name}' is not a valid search attribute`);
}

function resolveFilter(filter: Filter, typeOf: AttributeTypes): Filter {
  if (filter.op === 'true') return filter;
  if (filter.op === 'cmp') return { ...filter, ...resolveName(filter.field, typeOf) };
  return { ...filter, left: resolveFilter(filter.left, typeOf), right: resolveFilter(filter.right, typeOf) };
}

/** Parses a query and resolves its names; a list refuses GROUP BY, a count allows `GROUP BY ExecutionStatus`. */
export function resolveVisibilityQuery(
  query: string | null | undefined,
  typeOf: AttributeTypes,
  purpose: 'list' | 'count',
): VisibilityQuery {
  const parsed = parseVisibilityQuery(query);
  const [group, ...more] = parsed.groupBy;
  if (group !== undefined) {
    if (purpose === 'list') throw invalidQuery("operation is not supported: 'GROUP BY' clause");
    if (more.length > 0)
      throw invalidQuery("operation is not supported: 'GROUP BY' clause supports only a single field");
    if (resolveName(group, typeOf).field !== 'ExecutionStatus')
      throw invalidQuery(
        `operation is not supported: 'GROUP BY' clause is not supported for search attribute ${group}`,
      );
  }
  return { filter: resolveFilter(parsed.filter, typeOf), groupBy: group === undefined ? [] : ['ExecutionStatus'] };
}

function statusName(status: number): string {
  return Object.keys(STATUS_NAMES).find((k) => STATUS_NAMES[k] === status) ?? '';
}

function systemValues(run: WorkflowRun, field: string): unknown[] | undefined {
  switch (field) {
    case 'WorkflowId':
      return [run.workflowId];
    case 'RunId':
      return [run.runId];
    case 'WorkflowType':
      return [run.workflowType];
    case 'TaskQueue':
      return [run.taskQueue];
    case 'ExecutionStatus':
      return [statusName(run.status)];
    case 'StartTime':
      return [run.startTime];
    case 'CloseTime':
      return run.closeTime ? [run.closeTime] : [];
    case 'ExecutionTime':
      return [run.executionTime];
    case 'ParentWorkflowId':
      return run.parent ? [run.parent.workflowId] : [];
    case 'ParentRunId':
      return run.parent ? [run.parent.runId] : [];
  }
  return field in SYSTEM_ATTRIBUTES ? [] : undefined;
}

function fieldValues(run: WorkflowRun, field: string): unknown[] {
  const system = systemValues(run, field);
  if (system) return system;
  const value = decodePayload(run.searchAttributes[field]);
  if (value == null) return [];
  return Array.isArray(value) ? value : [value];
}

type Comparable = string | number | boolean;

/** A value as it compares for its attribute type: Datetime values as epoch milliseconds. */
function comparable(value: unknown, type: number | undefined): Comparable | undefined {
  if (type === T.DATETIME && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

function compare(actual: Comparable, cmp: string, expected: Comparable | undefined): boolean {
  if (expected === undefined) return false;
  switch (cmp) {
    case '=':
      return actual === expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case 'STARTS_WITH':
      return String(actual).startsWith(String(expected));
    default:
      return false;
  }
}

function matchesCondition(filter: Extract<Filter, { op: 'cmp' }>, run: WorkflowRun): boolean {
  const type = filter.type ?? SYSTEM_ATTRIBUTES[filter.field];
  const actual = fieldValues(run, filter.field)
    .map((v) => comparable(v, type))
    .filter((v) => v !== undefined);
  const expected = filter.values.map((v: Value) => comparable(v, type));
  switch (filter.cmp) {
    case 'IS NULL':
      return actual.length === 0;
    case 'IS NOT NULL':
      return actual.length > 0;
    case 'IN':
      return actual.some((a) => expected.includes(a));
    case 'NOT IN':
      return !actual.some((a) => expected.includes(a));
    case '!=':
      return !actual.some((a) => a === expected[0]);
    default:
      return actual.some((a) => compare(a, filter.cmp, expected[0]));
  }
}

/** True when the run matches the filter. */
export function matches(filter: Filter, run: WorkflowRun): boolean {
  if (filter.op === 'true') return true;
  if (filter.op === 'and') return matches(filter.left, run) && matches(filter.right, run);
  if (filter.op === 'or') return matches(filter.left, run) || matches(filter.right, run);
  return matchesCondition(filter, run);
}

/** The groups of `GROUP BY ExecutionStatus`: one per status present, in status order, valued as Keyword payloads. */
export function groupsByStatus(runs: WorkflowRun[]): { groupValues: Payload[]; count: number }[] {
  const counts = new Map<number, number>();
  for (const run of runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => ({ groupValues: [typedJsonPayload(statusName(status), T.KEYWORD)], count }));
}
