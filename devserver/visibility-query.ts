// Parsing the visibility query language subset: AND/OR, parentheses, =, !=, <, <=, >, >=, IN, NOT IN,
// STARTS_WITH, IS [NOT] NULL, then an optional GROUP BY and a trailing ORDER BY (accepted; results are always
// newest StartTime first).
import { invalidArgument } from './errors';

/** A literal of a condition. */
export type Value = string | number | boolean | null;
/** A parsed visibility filter; `type` is the attribute's IndexedValueType once the query is resolved. */
export type Filter =
  | { op: 'and'; left: Filter; right: Filter }
  | { op: 'or'; left: Filter; right: Filter }
  | { op: 'cmp'; field: string; cmp: string; values: Value[]; type?: number }
  | { op: 'true' };

/** A parsed query: its filter and the fields of its GROUP BY clause. */
export interface VisibilityQuery {
  filter: Filter;
  groupBy: string[];
}

const TOKEN =
  /\s*(?:(\()|(\))|(,)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(`[^`]+`)|(!=|<>|<=|>=|=|<|>)|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][\w.]*))/y;

/** The real server's message for a query it cannot run. */
export function invalidQuery(detail: string): Error {
  return invalidArgument(`invalid query: ${detail}`);
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    if (/^\s*$/.test(query.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(query);
    if (!m) throw invalidQuery(`malformed SQL query: syntax error near "${query.slice(start, start + 20)}"`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

function literal(token: string): Value {
  if (/^['"]/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^-?\d/.test(token)) return Number(token);
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  throw invalidQuery(`invalid expression: expected a value but found "${token}": quote strings`);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  private peek(): string | undefined {
    return this.tokens[this.i];
  }
  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw invalidQuery('malformed SQL query: the query ended early, complete the condition');
    return t;
  }
  private isWord(word: string): boolean {
    return this.peek()?.toUpperCase() === word;
  }
  private atClause(): boolean {
    return this.isWord('ORDER') || this.isWord('GROUP');
  }

  parse(): VisibilityQuery {
    const filter: Filter = this.tokens.length === 0 || this.atClause() ? { op: 'true' } : this.or();
    const groupBy = this.isWord('GROUP') ? this.groupBy() : [];
    if (this.peek() !== undefined && !this.isWord('ORDER'))
      throw invalidQuery(`malformed SQL query: unexpected "${this.peek()}"`);
    return { filter, groupBy };
  }
  private groupBy(): string[] {
    this.i++;
    if (!this.isWord('BY')) throw invalidQuery('malformed SQL query: expected BY after GROUP');
    this.i++;
    const fields = [this.field()];
    while (this.peek() === ',') {
      this.i++;
      fields.push(this.field());
    }
    return fields;
  }
  private field(): string {
    return this.next().replace(/^`|`$/g, '');
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
      if (this.next() !== ')') throw invalidQuery('malformed SQL query: missing ")"');
      return inner;
    }
    const field = this.field();
    let cmp = this.next().toUpperCase();
    if (cmp === 'NOT' && this.isWord('IN')) cmp = (this.i++, 'NOT IN');
    if (cmp === 'IS') {
      const negate = this.isWord('NOT') ? (this.i++, true) : false;
      if (this.next().toUpperCase() !== 'NULL') throw invalidQuery('malformed SQL query: expected NULL after IS');
      return { op: 'cmp', field, cmp: negate ? 'IS NOT NULL' : 'IS NULL', values: [] };
    }
    if (cmp === 'IN' || cmp === 'NOT IN') return { op: 'cmp', field, cmp, values: this.list() };
    if (!['=', '!=', '<>', '<', '<=', '>', '>=', 'STARTS_WITH'].includes(cmp))
      throw invalidQuery(`operation is not supported: operator "${cmp}"`);
    return { op: 'cmp', field, cmp: cmp === '<>' ? '!=' : cmp, values: [literal(this.next())] };
  }
  private list(): Value[] {
    if (this.next() !== '(') throw invalidQuery('malformed SQL query: expected "(" after IN');
    const values: Value[] = [literal(this.next())];
    while (this.peek() === ',') {
      this.i++;
      values.push(literal(this.next()));
    }
    if (this.next() !== ')') throw invalidQuery('malformed SQL query: missing ")" after the IN list');
    return values;
  }
}

/** Parses a visibility query (empty matches everything). */
export function parseVisibilityQuery(query: string | null | undefined): VisibilityQuery {
  return new Parser(tokenize(query ?? '')).parse();
}
