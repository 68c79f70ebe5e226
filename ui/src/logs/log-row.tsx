import { memo } from 'react';
import type { ReactNode } from 'react';
import type { LogLine } from '../api/types';
import { decodeAnsi } from './ansi';

/** Height of one log row in px; fixed so 100,000 lines need no measuring. */
export const LOG_ROW_HEIGHT = 20;

interface LogRowProps {
  line: LogLine;
  number: number;
  top: number;
  numberWidth: string;
  /** Lower-cased search text to mark in the line, or ''. */
  needle: string;
}

// Builders write their ordinary progress (buildah's STEP, "Copying blob", "Writing manifest") to stderr, so
// stderr alone is not an error: only lines that say so are painted as one.
const errorLine = /(^|[\s[])(error|err!|fatal|failed|panic)\b|level=(error|fatal)/i;

/** True for a stderr line that reads as an error, not as a builder's progress. */
export function looksLikeError(line: Pick<LogLine, 'stream' | 'text'>): boolean {
  return line.stream === 'stderr' && errorLine.test(line.text);
}

/** One log line: its number, then its ANSI-coloured text with search matches marked. */
export const LogRow = memo(function LogRow({ line, number, top, numberWidth, needle }: LogRowProps) {
  return (
    <div
      className={`log-line log-${line.stream}${looksLikeError(line) ? ' log-error' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: LOG_ROW_HEIGHT }}
      data-line={number}
    >
      <span className="log-number" style={{ width: numberWidth }}>
        {number}
      </span>
      <span className="log-text">
        {decodeAnsi(line.text).map((segment, i) => {
          const content = mark(segment.text, needle);
          return segment.style ? (
            <span key={i} style={segment.style}>
              {content}
            </span>
          ) : (
            <span key={i}>{content}</span>
          );
        })}
      </span>
    </div>
  );
});

function mark(text: string, needle: string): ReactNode {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (parts.length === 0) return text;
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}
