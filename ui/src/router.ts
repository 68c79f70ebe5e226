// A tiny hash router: the UI has a handful of screens and the server serves index.html at `/` only.
import { useSyncExternalStore } from 'react';

/** The current route as path segments, e.g. `#/services/abc/builds` → ['services', 'abc', 'builds']. */
export function useRoute(): string[] {
  const hash = useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
  return parseHash(hash);
}

/** Splits a location hash into decoded path segments. */
export function parseHash(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('?')[0]!
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}

/** An href for a route. */
export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

/** Navigates to a route. */
export function navigate(...parts: string[]): void {
  window.location.hash = href(...parts);
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
