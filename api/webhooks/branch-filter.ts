import picomatch from 'picomatch';

/** Accepts `main`, `refs/heads/main`, lists and globs; stores them without the `refs/heads/` prefix. */
export function normalizeBranchFilter(input: string | string[]): string[] {
  const entries = (Array.isArray(input) ? input : input.split(','))
    .map((entry) => entry.trim().replace(/^refs\/heads\//, ''))
    .filter((entry) => entry.length > 0);
  return [...new Set(entries)];
}

/**
 * True when `branch` (a name, not a ref) is selected by the filter. Entries match the whole name: `main` never
 * matches `release/main`; `release/*` matches `release/1.2`; `*` alone selects every branch.
 */
export function matchesBranchFilter(filter: readonly string[], branch: string): boolean {
  return filter.some((entry) => entry === '*' || entry === '**' || entry === branch || isGlobMatch(entry, branch));
}

function isGlobMatch(pattern: string, branch: string): boolean {
  if (!picomatch.scan(pattern).isGlob) return false;
  return picomatch(pattern, { dot: true })(branch);
}
