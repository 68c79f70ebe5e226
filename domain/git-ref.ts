/**
 * What Kiln accepts as a git ref name and a commit sha: the one definition the webhook intake, the API trigger
 * path and the clone activity all use. Pure: no I/O.
 */

/** Refs longer than this are refused (git itself has no limit; no real branch comes close). */
export const MAX_REF_LENGTH = 1024;

/**
 * Why `ref` is not an acceptable git ref name (the `git check-ref-format --allow-onelevel` rules, plus no `-`
 * at the start of the ref or of any component, so no part of it can be read as an option), or null when fine.
 */
export function gitRefProblem(ref: string): string | null {
  if (ref.length === 0) return 'it is empty';
  if (ref.length > MAX_REF_LENGTH) return `it is longer than ${MAX_REF_LENGTH} characters`;
  if (ref.startsWith('-')) return 'it starts with "-" and could be read as an option';
  if (ref === '@') return 'it is "@"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return 'it contains a space, control character or one of ~ ^ : ? * [ \\';
  if (ref.includes('..')) return 'it contains ".."';
  if (ref.includes('@{')) return 'it contains "@{"';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'it has an empty path component';
  if (ref.endsWith('.')) return 'it ends with "."';
  for (const component of ref.split('/')) {
    if (component.startsWith('.')) return 'a path component starts with "."';
    // git allows `refs/heads/-x`, but the branch name `-x` reads as an option wherever it is used on its own.
    if (component.startsWith('-')) return 'a path component starts with "-"';
    if (component.endsWith('.lock')) return 'a path component ends with ".lock"';
  }
  return null;
}

/** True for a full commit id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
export function isFullSha(sha: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha);
}

/** Why `sha` is not a full commit id, or null when it is one. */
export function shaProblem(sha: string): string | null {
  return isFullSha(sha) ? null : 'expected 40 (or 64) lowercase hex digits';
}

/** A value for a message: quoted, cut to `max` characters so an attacker's 1 MB ref does not fill the answer. */
export function quoteForMessage(value: string, max = 200): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/** The branch or tag name behind a full ref (`refs/heads/x` → `x`), or the ref itself when it is short. */
export function shortRefName(ref: string): { kind: 'branch' | 'tag' | 'other'; name: string } {
  if (ref.startsWith('refs/heads/')) return { kind: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { kind: 'tag', name: ref.slice('refs/tags/'.length) };
  if (ref.startsWith('refs/')) return { kind: 'other', name: ref };
  return { kind: 'branch', name: ref };
}
