import type { GitCheck, TokenCheck } from '../api/types';

/** Describes a working provider token in the provider's terms (account, scopes, warnings). */
export function tokenSummary(check: TokenCheck): string {
  const scopes = check.scopes ? ` with scopes ${check.scopes.join(', ')}` : '';
  const warnings = check.warnings.length ? ` — ${check.warnings.join(' ')}` : '';
  return `The token works as ${check.identity}${scopes}${warnings}`;
}
/** Describes what `git ls-remote` found: git's answer and the first few branches. */
export const gitSummary = (check: GitCheck) =>
  check.message + (check.branches.length ? ` (${check.branches.slice(0, 5).join(', ')})` : '');
