/**
 * The one redactor: every log sink (build logs, tool output, error messages) hides secrets with it. Pure: no I/O.
 */

/** What a hidden secret reads as. */
export const REDACTED = '[REDACTED]';

/** Shorter values are not hidden: no credential is this short, and hiding every `abc` would mangle the log. */
export const MIN_REDACTED_LENGTH = 4;

const userinfo = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;

/**
 * A function that hides each secret (as given and URL-encoded; longest first, so a secret containing another is
 * hidden whole) and the userinfo of any URL (`https://user:token@host` → `https://[REDACTED]@host`).
 */
export function createRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const forms = secrets.flatMap((s) => (s == null ? [] : [s, encodeURIComponent(s)]));
  const unique = [...new Set(forms.filter((s) => s.length >= MIN_REDACTED_LENGTH))].sort((a, b) => b.length - a.length);
  const pattern = unique.length ? new RegExp(unique.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    const withoutUserinfo = text.replace(userinfo, `$1${REDACTED}@`);
    return pattern ? withoutUserinfo.replace(pattern, REDACTED) : withoutUserinfo;
  };
}

/** `text` with `secrets` hidden (see createRedactor); for one-off messages. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return createRedactor(secrets)(text);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
