import Anser from 'anser';
import type { CSSProperties, ReactNode } from 'react';

/** One ANSI-decoded line: plain text (for search and copy) and its styled spans. */
interface Decoded {
  plain: string;
  nodes: ReactNode[];
}

// Lines are immutable once received; decoding each at most once keeps scrolling through 100k lines cheap.
const cache = new Map<string, Decoded>();
const CACHE_LIMIT = 5_000;
const ESC = '\u001b';

/** The text of a line without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes(ESC) ? Anser.ansiToText(text) : text;
}

/** Decodes ANSI SGR colours and decorations of one line into React spans. */
export function decodeAnsi(text: string): Decoded {
  if (!text.includes(ESC)) return { plain: text, nodes: [text] };
  const hit = cache.get(text);
  if (hit) return hit;
  const entries = Anser.ansiToJson(text, { json: true, remove_empty: true });
  const nodes = entries.map((entry, i) => {
    const style: CSSProperties = {};
    if (entry.fg) style.color = `rgb(${entry.fg})`;
    if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
    const decorations = entry.decorations ?? [];
    if (decorations.includes('bold')) style.fontWeight = 700;
    if (decorations.includes('italic')) style.fontStyle = 'italic';
    if (decorations.includes('dim')) style.opacity = 0.7;
    if (decorations.includes('underline')) style.textDecoration = 'underline';
    return Object.keys(style).length === 0 ? (
      entry.content
    ) : (
      <span key={i} style={style}>
        {entry.content}
      </span>
    );
  });
  const decoded = { plain: entries.map((e) => e.content).join(''), nodes };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, decoded);
  return decoded;
}
