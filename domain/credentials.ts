/**
 * "Which credential may go to this URL?" — the one answer every caller uses (clone, submodules, commit statuses,
 * pipelines, webhook registration, provider checks, build context). Pure: no I/O, no fallbacks.
 *
 * A credential belongs to exactly one origin (scheme + host + port). A URL gets a credential only when its origin
 * equals the connection's; any other URL, including another port or `http` instead of `https`, gets none.
 */

/** The fields of a stored Git connection the resolver needs. */
export interface CredentialConnection {
  kind: 'gitlab' | 'github';
  /** The address the admin registered (web or API base), e.g. `https://gitlab.example.com`. */
  baseUrl: string;
}

const defaultPorts: Record<string, string> = { http: '80', https: '443', ssh: '22', git: '9418' };

/**
 * The normalised origin of a URL, `scheme://host[:port]`: scheme and host lower-case, default port dropped,
 * userinfo, path, query and fragment ignored. scp-like `user@host:path` is `ssh://host`. Null when unparsable.
 */
export function originOf(url: string): string | null {
  const text = url.trim();
  const scp = /^(?:[^@/:\s]+@)?(\[[^\]/]+\]|[^:/\s[\]]+):(?!\/\/)/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return `ssh://${scp[1]!.toLowerCase()}`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  // `new URL` keeps the host of non-special schemes (ssh, git) as written; lower-case it ourselves.
  const host = parsed.hostname.toLowerCase();
  if (!host) return null;
  const port = parsed.port && parsed.port !== defaultPorts[scheme] ? `:${parsed.port}` : '';
  return `${scheme}://${host}${port}`;
}

/**
 * The origin a connection's token is for. The one deliberate alias: a GitHub connection registered as
 * `https://api.github.com` is for github.com repositories (GitHub serves git on github.com, its API on api.).
 */
export function connectionOrigin(connection: CredentialConnection): string | null {
  const origin = originOf(connection.baseUrl);
  if (connection.kind === 'github' && (origin === 'https://api.github.com' || origin === 'https://www.github.com')) {
    return 'https://github.com';
  }
  return origin;
}

/**
 * The connection whose origin is exactly the URL's, or undefined. With `kind`, only connections of that
 * provider count. Several with the same origin (registered before origins were unique) resolve to the first.
 */
export function resolveCredential<T extends CredentialConnection>(
  connections: readonly T[],
  url: string,
  kind?: CredentialConnection['kind'],
): T | undefined {
  const wanted = originOf(url);
  if (wanted == null) return undefined;
  return connections.find((c) => (kind == null || c.kind === kind) && connectionOrigin(c) === wanted);
}

/** Words for the build log and API answers when a URL has no connection: nothing is sent. */
export function noConnectionMessage(url: string): string {
  const origin = originOf(url) ?? 'this repository';
  return `No Git connection for ${origin}; cloning without credentials. An organization admin registers a token for exactly this address (scheme, host and port) in organization settings (Git providers).`;
}
