import { useId } from 'react';
import type { LogLine } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { plainText } from './filter';

interface LogToolbarProps {
  lines: readonly LogLine[];
  /** The log's accessible name, e.g. "Build log". */
  label: string;
  query: string;
  onQuery: (query: string) => void;
  /** How many lines match the search, or null without one. */
  matches: number | null;
  live: boolean;
  following: boolean;
  onResume: () => void;
}

/** Above the log: the search box, how many lines (match), Live, Resume auto-scroll and Copy all. */
export function LogToolbar({ lines, label, query, onQuery, matches, live, following, onResume }: LogToolbarProps) {
  const searchId = useId();
  return (
    <div className="log-toolbar">
      <label htmlFor={searchId} className="visually-hidden">
        Search {label.toLowerCase()}
      </label>
      <input
        id={searchId}
        type="search"
        placeholder="Search log"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
      />
      <span className="log-count" aria-live="polite">
        {matches !== null
          ? `${matches.toLocaleString()} of ${lines.length.toLocaleString()} lines`
          : `${lines.length.toLocaleString()} lines`}
      </span>
      {live && <span className="live-dot">Live</span>}
      {!following && (
        <button type="button" className="secondary" onClick={onResume}>
          Resume auto-scroll
        </button>
      )}
      <CopyButton label="Copy all" what="Log" getText={() => plainText(lines)} />
    </div>
  );
}
