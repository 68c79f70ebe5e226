import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useDeferredValue, useId, useRef, useState } from 'react';
import type { LogLine } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { plainText, useFilteredLines } from './filter';
import { LOG_ROW_HEIGHT, LogRow } from './log-row';
import { useFollowScroll } from './use-follow-scroll';

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
  const searchId = useId();
  const matches = useFilteredLines(lines, deferredQuery);
  const needle = matches ? deferredQuery.trim().toLowerCase() : '';
  const count = matches ? matches.length : lines.length;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: 20,
    initialRect: { width: 0, height },
  });
  const scrollToEnd = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);
  const { following, resume } = useFollowScroll(scrollRef, count, scrollToEnd);
  const numberWidth = `${String(lines.length).length + 1}ch`;
  return (
    <div className="log-viewer">
      <div className="log-toolbar">
        <label htmlFor={searchId} className="visually-hidden">
          Search {label.toLowerCase()}
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search log"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="log-count" aria-live="polite">
          {matches
            ? `${matches.length.toLocaleString()} of ${lines.length.toLocaleString()} lines`
            : `${lines.length.toLocaleString()} lines`}
        </span>
        {live && <span className="live-dot">Live</span>}
        {!following && (
          <button type="button" className="secondary" onClick={resume}>
            Resume auto-scroll
          </button>
        )}
        <CopyButton label="Copy all" what="Log" getText={() => plainText(lines)} />
      </div>
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
                  needle={needle}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
