import type { LogLine } from '../api/types';
import { stripAnsi } from './ansi';

/**
 * Indices of lines whose text (without ANSI codes) contains `query`, case-insensitively; all lines when empty.
 * Returns null for "no filter" so the viewer can skip allocating a 100,000-entry index array.
 */
export function filterLines(lines: readonly LogLine[], query: string): number[] | null {
  const needle = query.trim().toLowerCase();
  if (!needle) return null;
  const matches: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (stripAnsi(lines[i]!.text).toLowerCase().includes(needle)) matches.push(i);
  }
  return matches;
}

/** The whole log as plain text, one line per line, for Copy all. */
export function plainText(lines: readonly LogLine[]): string {
  return lines.map((line) => stripAnsi(line.text)).join('\n');
}
