import Anser from 'anser';
import type { CSSProperties } from 'react';

/** A run of text with one ANSI style. */
export interface Segment {
  text: string;
  style?: CSSProperties;
}

// Lines are immutable once received; decoding each at most once keeps scrolling through 100k lines cheap.
const cache = new Map<string, Segment[]>();
const CACHE_LIMIT = 5_000;
const ESC = '\u001b';

/** The text of a line without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes(ESC) ? Anser.ansiToText(text) : text;
}

/** Decodes ANSI SGR colours and decorations of one line into styled segments. */
export function decodeAnsi(text: string): Segment[] {
  if (!text.includes(ESC)) return [{ text }];
  const hit = cache.get(text);
  if (hit) return hit;
  const segments = Anser.ansiToJson(text, { json: true, remove_empty: true }).map((entry) => {
    const style: CSSProperties = {};
    if (entry.fg) style.color = `rgb(${entry.fg})`;
    if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
    const decorations = entry.decorations ?? [];
    if (decorations.includes('bold')) style.fontWeight = 700;
    if (decorations.includes('italic')) style.fontStyle = 'italic';
    if (decorations.includes('dim')) style.opacity = 0.7;
    if (decorations.includes('underline')) style.textDecoration = 'underline';
    return Object.keys(style).length === 0 ? { text: entry.content } : { text: entry.content, style };
  });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, segments);
  return segments;
}
