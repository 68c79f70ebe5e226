// The visibility query language subset Kiln uses: AND/OR, parentheses, =, !=, <, <=, >, >=, IN, NOT IN,
// STARTS_WITH, IS [NOT] NULL, and a trailing ORDER BY (accepted; results are always newest StartTime first).
import { STATUS_NAMES } from './codes';
import { invalidArgument } from './errors';
import { decodePayload } from './proto';
import type { WorkflowRun } from './state';

type Value = string | number | null;
/** A parsed visibility filter. */
export type Filter =
  | { op: 'and'; left: Filter; right: Filter }
  | { op: 'or'; left: Filter; right: Filter }
  | { op: 'cmp'; field: string; cmp: string; values: Value[] }
  | { op: 'true' };

const TOKEN =
  /\s*(?:(\()|(\))|(,)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(`[^`]+`)|(!=|<>|<=|>=|=|<|>)|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][\w.]*))/y;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    if (/^\s*$/.test(query.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(query);
    if (!m)
      throw invalidArgument(`invalid visibility query near "${query.slice(start, start + 20)}": check the syntax.`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  private peek(): string | undefined {
    return this.tokens[this.i];
  }
  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw invalidArgument('visibility query ended early: complete the condition.');
    return t;
  }
  private isWord(word: string): boolean {
    return this.peek()?.toUpperCase() === word;
  }

  parse(): Filter {
    if (this.tokens.length === 0 || this.isWord('ORDER')) return { op: 'true' };
    const filter = this.or();
    if (this.peek() !== undefined && !this.isWord('ORDER'))
      throw invalidArgument(`unexpected "${this.peek()}" in visibility query.`);
    return filter;
  }
  private or(): Filter {
    let left = this.and();
    while (this.isWord('OR')) {
      this.i++;
      left = { op: 'or' as const, left, right: this.and() };
    }
    return left;
  }
  private and(): Filter {
    let left = this.factor();
    while (this.isWord('AND')) {
      this.i++;
      left = { op: 'and' as const, left, right: this.factor() };
    }
    return left;
  }
  private factor(): Filter {
    if (this.peek() === '(') {
      this.i++;
      const inner = this.or();
      if (this.next() !== ')') throw invalidArgument('missing ")" in visibility query.');
      return inner;
    }
    const field = this.next().replace(/^`|`$/g, '');
    let cmp = this.next().toUpperCase();
    if (cmp === 'NOT' && this.isWord('IN')) cmp = (this.i++, 'NOT IN');
    if (cmp === 'IS') {
      const negate = this.isWord('NOT') ? (this.i++, true) : false;
      if (this.next().toUpperCase() !== 'NULL') throw invalidArgument('expected NULL after IS in visibility query.');
      return { op: 'cmp', field, cmp: negate ? 'IS NOT NULL' : 'IS NULL', values: [] };
    }
    if (cmp === 'IN' || cmp === 'NOT IN') return { op: 'cmp', field, cmp, values: this.list() };
    if (!['=', '!=', '<>', '<', '<=', '>', '>=', 'STARTS_WITH'].includes(cmp))
      throw invalidArgument(`unsupported operator "${cmp}" in visibility query.`);
    return { op: 'cmp', field, cmp: cmp === '<>' ? '!=' : cmp, values: [literal(this.next())] };
  }
  private list(): Value[] {
    if (this.next() !== '(') throw invalidArgument('expected "(" after IN in visibility query.');
    const values: Value[] = [literal(this.next())];
    while (this.peek() === ',') {
      this.i++;
      values.push(literal(this.next()));
    }
    if (this.next() !== ')') throw invalidArgument('missing ")" after IN list in visibility query.');
    return values;
  }
}

function literal(token: string): Value {
  if (/^['"]/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^-?\d/.test(token)) return Number(token);
  throw invalidArgument(`expected a value but found "${token}" in visibility query: quote strings.`);
}

/** Parses a visibility query (empty → matches everything). */
export function parseVisibilityQuery(query: string | null | undefined): Filter {
  return new Parser(tokenize(query ?? '')).parse();
}

function fieldValues(run: WorkflowRun, field: string): (string | number)[] {
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
      return [Object.keys(STATUS_NAMES).find((k) => STATUS_NAMES[k] === run.status) ?? ''];
    case 'StartTime':
      return [run.startTime];
    case 'CloseTime':
      return run.closeTime ? [run.closeTime] : [];
    case 'ExecutionTime':
      return [run.executionTime];
  }
  const value = decodePayload(run.searchAttributes[field]);
  if (value == null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is string | number => typeof v === 'string' || typeof v === 'number',
  );
}

function asComparable(field: string, value: Value): Value {
  if (typeof value === 'string' && ['StartTime', 'CloseTime', 'ExecutionTime'].includes(field))
    return Date.parse(value);
  return value;
}

function compare(actual: string | number, cmp: string, expected: Value): boolean {
  if (expected === null) return false;
  switch (cmp) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
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

/** True when the run matches the filter. */
export function matches(filter: Filter, run: WorkflowRun): boolean {
  if (filter.op === 'true') return true;
  if (filter.op === 'and' || filter.op === 'or') {
    return filter.op === 'and'
      ? matches(filter.left, run) && matches(filter.right, run)
      : matches(filter.left, run) || matches(filter.right, run);
  }
  const actual = fieldValues(run, filter.field);
  const expected = filter.values.map((v) => asComparable(filter.field, v));
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
      return actual.some((a) => compare(a, filter.cmp, expected[0] ?? null));
  }
}
