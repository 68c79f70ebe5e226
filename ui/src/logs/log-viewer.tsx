import { useDeferredValue, useState } from 'react';
import type { LogLine } from '../api/types';
import { useFilteredLines } from './filter';
import { LOG_ROW_HEIGHT, LogRow } from './log-row';
import { LogToolbar } from './log-toolbar';
import { useLogScroll } from './use-log-scroll';
import type { LogScroll } from './use-log-scroll';

export { LOG_ROW_HEIGHT };

interface LogViewerProps {
  lines: readonly LogLine[];
  /** Accessible name, e.g. "Build log". */
  label: string;
  /** True while more lines may arrive (shows "Live"). */
  live?: boolean;
  /** Viewport height in px. */
  height?: number;
  /** Shown when there are no lines yet. */
  emptyText?: string;
}

/**
 * Terminal-style log: virtualised rows with line numbers, ANSI colours, stderr in red, a search box that
 * filters lines, Copy all, and auto-scroll that pauses when the reader scrolls up.
 */
export function LogViewer({
  lines,
  label,
  live = false,
  height = 420,
  emptyText = 'No log lines yet.',
}: LogViewerProps) {
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const matches = useFilteredLines(lines, deferredQuery);
  const needle = matches ? deferredQuery.trim().toLowerCase() : '';
  const count = matches ? matches.length : lines.length;
  const { scrollRef, virtualizer, following, resume } = useLogScroll(count, height);
  return (
    <div className="log-viewer">
      <LogToolbar
        lines={lines}
        label={label}
        query={query}
        onQuery={setQuery}
        matches={matches ? matches.length : null}
        live={live}
        following={following}
        onResume={resume}
      />
      <div
        ref={scrollRef}
        className="log-scroll"
        style={{ height }}
        role="log"
        aria-label={label}
        aria-live="off"
        tabIndex={0}
        data-following={following}
      >
        {count === 0 ? (
          <p className="log-empty">{matches ? 'No lines match.' : emptyText}</p>
        ) : (
          <LogRows lines={lines} matches={matches} needle={needle} virtualizer={virtualizer} />
        )}
      </div>
    </div>
  );
}

/** The rows in view (`matches` indexes `lines` while a search filters them), placed where the virtualiser says. */
function LogRows(props: {
  lines: readonly LogLine[];
  matches: number[] | null;
  needle: string;
  virtualizer: LogScroll['virtualizer'];
}) {
  const { lines, matches, virtualizer } = props;
  const numberWidth = `${String(lines.length).length + 1}ch`;
  return (
    <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
      {virtualizer.getVirtualItems().map((item) => {
        const index = matches ? matches[item.index]! : item.index;
        return (
          <LogRow
            key={index}
            line={lines[index]!}
            number={index + 1}
            top={item.start}
            numberWidth={numberWidth}
            needle={props.needle}
          />
        );
      })}
    </div>
  );
}
