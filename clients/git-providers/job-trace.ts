import type { ProcessStream } from '../../domain/log-stream';
/**
 * GitLab job traces are one raw terminal stream: the runner merges the job's stdout and stderr before GitLab sees
 * them, so the trace cannot say which stream a line came from. What it does carry is ANSI colour and GitLab's
 * collapsible-section markers (`\e[0Ksection_start:<unix>:<name>[opts]\r\e[0K<header>` / `section_end`). Kiln keeps the
 * ANSI sequences for the UI to render and marks a line `stderr` only by heuristic: its first colour is red, or its
 * text starts with `ERROR:`/`FATAL:` (how the runner and most tools print failures). `streamDetection` says so.
 */

/** One displayed line of a job log; `text` keeps its ANSI sequences. */
export interface TraceLine {
  /** 1-based line number in the whole trace. */
  n: number;
  text: string;
  stream: ProcessStream;
  /** Innermost collapsible section the line belongs to. */
  section: string | null;
}

/** A collapsible section of a job log. */
export interface TraceSection {
  name: string;
  /** Header text shown on the collapsed row (with ANSI). */
  header: string;
  /** Line number of the header line. */
  startLine: number;
  /** Last line inside the section; null while the section is still open (running job). */
  endLine: number | null;
  durationSeconds: number | null;
  collapsed: boolean;
  parent: string | null;
}

/** A parsed job log as the API returns it. */
export interface ParsedTrace {
  lines: TraceLine[];
  sections: TraceSection[];
  totalLines: number;
  /** True when only the last `maxLines` lines are returned. */
  truncated: boolean;
  streamDetection: 'heuristic';
}

// eslint-disable-next-line no-control-regex
const MARKER = /\x1b\[0K(section_start|section_end):(\d+):([A-Za-z0-9_.-]+)(\[[^\]]*\])?\r\x1b\[0K/g;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[([0-9;]*)m/g;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Splits a raw GitLab trace into numbered lines and sections; keeps the last `maxLines` lines. */
export function parseJobTrace(raw: string, maxLines = 10_000): ParsedTrace {
  const lines: TraceLine[] = [];
  const sections: TraceSection[] = [];
  const open: { section: TraceSection; startedAt: number }[] = [];
  for (const rawLine of raw.replace(/\r\n/g, '\n').split('\n')) {
    let text = '';
    let cursor = 0;
    let header = false;
    for (const match of rawLine.matchAll(MARKER)) {
      text += rawLine.slice(cursor, match.index);
      cursor = match.index + match[0].length;
      const [, kind, at, name, options] = match as unknown as [string, string, string, string, string | undefined];
      if (kind === 'section_start') {
        const section: TraceSection = {
          name,
          header: '',
          startLine: lines.length + 1,
          endLine: null,
          durationSeconds: null,
          collapsed: /collapsed=true/.test(options ?? ''),
          parent: open.at(-1)?.section.name ?? null,
        };
        sections.push(section);
        open.push({ section, startedAt: Number(at) });
        header = true;
      } else {
        closeSection(open, name, Number(at), lines.length);
      }
    }
    text = lastOverwrite(text + rawLine.slice(cursor));
    if (header) open.at(-1)!.section.header = text;
    // A line that held only an end marker is not shown.
    if (!header && text === '' && cursor > 0) continue;
    lines.push({
      n: lines.length + 1,
      text,
      stream: looksLikeStderr(text) ? 'stderr' : 'stdout',
      section: open.at(-1)?.section.name ?? null,
    });
  }
  if (lines.at(-1)?.text === '') lines.pop();
  const totalLines = lines.length;
  const kept = totalLines > maxLines ? lines.slice(totalLines - maxLines) : lines;
  return { lines: kept, sections, totalLines, truncated: kept.length < totalLines, streamDetection: 'heuristic' };
}

function closeSection(open: { section: TraceSection; startedAt: number }[], name: string, at: number, line: number) {
  const index = open.findLastIndex((entry) => entry.section.name === name);
  if (index < 0) return;
  // Closing an outer section closes the ones nested in it that were left open.
  for (const entry of open.splice(index)) {
    entry.section.endLine = line;
    entry.section.durationSeconds = Math.max(0, at - entry.startedAt);
  }
}

// A carriage return inside a line (progress bars) overwrites it on a terminal; show what the terminal showed.
function lastOverwrite(text: string): string {
  const parts = text.split('\r').filter((part) => part.replace(ANSI, '') !== '');
  return parts.at(-1) ?? text.replace(/\r/g, '');
}

/** True when a line reads as an error: red first colour, or an `ERROR:`/`FATAL:` prefix. */
export function looksLikeStderr(text: string): boolean {
  const plain = text.replace(ANSI, '').trimStart();
  if (/^(ERROR|FATAL):/i.test(plain)) return true;
  SGR.lastIndex = 0;
  const first = SGR.exec(text);
  if (!first || text.slice(0, first.index).replace(ANSI, '').trim() !== '') return false;
  const params = (first[1] ?? '').split(';');
  return params.includes('31') || params.includes('91');
}
