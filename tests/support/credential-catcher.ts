/**
 * An HTTP server that plays a host Kiln must never send a credential to, and records what it was sent.
 *
 *   const catcher = await startCredentialCatcher();               // answers git smart-HTTP with 401 Basic
 *   const door = await startCredentialCatcher({ redirectTo: catcher.baseUrl, expect: 'Basic …' });
 *   expect(catcher.authorizations()).toEqual([]);
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaughtRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface CredentialCatcher {
  /** `http://127.0.0.1:<port>`, no credentials in it. */
  baseUrl: string;
  /** Every request, in order. */
  requests: CaughtRequest[];
  /** The Authorization headers it received (empty when nothing leaked). */
  authorizations(): string[];
  stop(): Promise<void>;
}

export interface CatcherOptions {
  /**
   * Redirect (302, same path) to this base URL instead of answering 401. With `expect`, only requests carrying
   * exactly that Authorization header are redirected, like a real server that moved a repository.
   */
  redirectTo?: string;
  expect?: string;
}

/** Starts the catcher on 127.0.0.1, port 0. */
export async function startCredentialCatcher(options: CatcherOptions = {}): Promise<CredentialCatcher> {
  const requests: CaughtRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    const authorized = options.expect == null || req.headers.authorization === options.expect;
    if (options.redirectTo && authorized) {
      res.writeHead(302, { Location: `${options.redirectTo}${req.url ?? '/'}` }).end();
      return;
    }
    // What a git host or registry says to an anonymous client: it asks for Basic credentials.
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="catcher"', 'Content-Type': 'text/plain' });
    res.end('Unauthorized');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    authorizations: () => requests.flatMap((r) => (r.authorization == null ? [] : [r.authorization])),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
