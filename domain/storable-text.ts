/**
 * Text PostgreSQL can store: `text` and `jsonb` refuse U+0000, and an unpaired UTF-16 surrogate has no UTF-8
 * form (jsonb refuses its escape, text columns get it silently replaced). The API refuses such input; build
 * output, which Kiln does not control, is escaped instead. Pure: no I/O.
 */

// eslint-disable-next-line no-control-regex -- matching NUL is the point
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- as above, every occurrence
const unstorableAll = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Why `text` cannot be stored ("contains a NUL character …"), or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  const match = unstorable.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000'
    ? 'contains a NUL character (\\u0000), which Kiln cannot store'
    : 'contains an unpaired UTF-16 surrogate (not valid Unicode), which Kiln cannot store';
}

/**
 * `text` with each NUL shown as the visible text `\u0000` and each unpaired surrogate as U+FFFD (what a UTF-8
 * decoder already makes of invalid bytes), so a line with binary noise is kept, readable, instead of refused.
 */
export function toStorableText(text: string): string {
  if (!unstorable.test(text)) return text;
  return text.replace(unstorableAll, (ch) => (ch === '\u0000' ? '\\u0000' : '\ufffd'));
}
