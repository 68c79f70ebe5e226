import type { AddressInfo } from 'node:net';

/** `127.0.0.1:8080`, `[::1]:8080`; with `reachable`, a wildcard bind becomes the loopback address a browser can open. */
export function hostPort(bound: AddressInfo, reachable = false): string {
  let host = bound.address;
  if (reachable && (host === '0.0.0.0' || host === '::')) host = bound.family === 'IPv6' ? '::1' : '127.0.0.1';
  return `${host.includes(':') ? `[${host}]` : host}:${bound.port}`;
}
