import { useRef } from 'react';
import type { LogLine } from '../api/types';
import { stripAnsi } from './ansi';

/**
 * Indices of lines whose text (without ANSI codes) contains `query`, case-insensitively, scanning from `from`.
 * Returns null for "no filter" so the viewer can skip allocating a 100,000-entry index array.
 */
export function filterLines(lines: readonly LogLine[], query: string, from = 0, into: number[] = []): number[] | null {
  const needle = query.trim().toLowerCase();
  if (!needle) return null;
  for (let i = from; i < lines.length; i++) {
    if (stripAnsi(lines[i]!.text).toLowerCase().includes(needle)) into.push(i);
  }
  return into;
}

/**
 * `filterLines` for a log that grows by appending: while the query stays the same and the new array extends the
 * old one, only the appended lines are scanned, so a streaming 100,000-line log stays cheap to search.
 */
export function useFilteredLines(lines: readonly LogLine[], query: string): number[] | null {
  const last = useRef<{ lines: readonly LogLine[]; query: string; matches: number[] | null } | null>(null);
  const prev = last.current;
  if (prev && prev.lines === lines && prev.query === query) return prev.matches;
  const appended =
    prev !== null &&
    prev.query === query &&
    prev.matches !== null &&
    lines.length >= prev.lines.length &&
    (prev.lines.length === 0 || lines[prev.lines.length - 1] === prev.lines[prev.lines.length - 1]);
  const matches = appended
    ? filterLines(lines, query, prev.lines.length, [...prev.matches!])
    : filterLines(lines, query);
  last.current = { lines, query, matches };
  return matches;
}

/** The whole log as plain text, one line per line, for Copy all. */
export function plainText(lines: readonly LogLine[]): string {
  return lines.map((line) => stripAnsi(line.text)).join('\n');
}
