import { createHash } from 'node:crypto';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** Credentials for pushing to (and pulling from) an OCI registry. */
export interface RegistryAuth {
  /** host[:port], e.g. `harbor.example.com` or `127.0.0.1:5055`. */
  host: string;
  username: string;
  password: string;
  /** Plain HTTP / unverified TLS (local registries in tests and on one machine). */
  insecure: boolean;
}

/** Manifest media types we accept, so the registry answers with the digest of what was pushed. */
export const manifestMediaTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

const requestTimeoutMs = 30_000;

/**
 * The manifest digest (`sha256:…`) the registry reports for `repository:tag`, read through the v2 API with
 * Basic auth or the Bearer token flow its `WWW-Authenticate` challenge asks for (Harbor, Docker Hub).
 */
export async function getManifestDigest(registry: RegistryAuth, repository: string, tag: string): Promise<string> {
  const path = `/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
  const scope = `repository:${repository}:pull`;
  const headers = { Accept: manifestMediaTypes.join(', ') };
  const head = await registryRequest(registry, path, { method: 'HEAD', headers }, scope);
  const fromHeader = head.headers.get('docker-content-digest');
  if (head.ok && fromHeader) return fromHeader;
  // Some registries omit the header on HEAD: the digest is the sha256 of the manifest bytes as served.
  const get = head.ok ? await registryRequest(registry, path, { method: 'GET', headers }, scope) : head;
  if (!get.ok) {
    throw new Error(
      `Registry ${registry.host} answered ${get.status} for ${repository}:${tag}; the pushed image could not be read back.`,
    );
  }
  const body = Buffer.from(await get.arrayBuffer());
  return get.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** Resolves when the registry accepts the credentials; otherwise a "Registry authentication failed" failure. */
export async function checkRegistryLogin(registry: RegistryAuth): Promise<void> {
  const response = await registryRequest(registry, '/v2/', { method: 'GET' }, null);
  if (!response.ok) {
    throw new Error(`Registry ${registry.host} answered ${response.status} to GET /v2/.`);
  }
}

/** Sends a request, answering a 401 challenge once (Basic or Bearer); 401/403 after that is an auth failure. */
async function registryRequest(
  registry: RegistryAuth,
  path: string,
  init: RequestInit & { headers?: Record<string, string> },
  scope: string | null,
): Promise<Response> {
  const url = `${baseUrl(registry)}${path}`;
  const first = await send(registry, url, init);
  if (first.status !== 401) return first;
  const challenge = parseChallenge(first.headers.get('www-authenticate') ?? '');
  const authorization =
    challenge.scheme === 'bearer'
      ? `Bearer ${await fetchBearerToken(registry, challenge.params, scope)}`
      : `Basic ${basic(registry)}`;
  const second = await send(registry, url, { ...init, headers: { ...init.headers, Authorization: authorization } });
  if (second.status === 401 || second.status === 403) throw authFailure(registry);
  return second;
}

async function fetchBearerToken(
  registry: RegistryAuth,
  params: Record<string, string>,
  scope: string | null,
): Promise<string> {
  if (!params.realm) throw authFailure(registry, 'its Bearer challenge names no token realm');
  const tokenUrl = new URL(params.realm);
  if (params.service) tokenUrl.searchParams.set('service', params.service);
  const wanted = scope ?? params.scope;
  if (wanted) tokenUrl.searchParams.set('scope', wanted);
  const response = await send(registry, tokenUrl.toString(), {
    method: 'GET',
    headers: { Authorization: `Basic ${basic(registry)}` },
  });
  if (response.status === 401 || response.status === 403) throw authFailure(registry);
  if (!response.ok) throw new Error(`Registry token service ${tokenUrl.host} answered ${response.status}.`);
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw authFailure(registry, 'its token service returned no token');
  return token;
}

async function send(registry: RegistryAuth, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(requestTimeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    // An unreachable registry may be back in a moment: the build step is retried before the build fails.
    throw buildFailure(
      BuildErrorType.RegistryUnavailable,
      `Registry unavailable: could not reach ${registry.host} (${cause}). Check the registry URL and that the registry is up.`,
    );
  }
}

/** Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = (header.trim().split(/\s+/, 1)[0] ?? '').toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) {
    if (match[1] != null && match[2] != null) params[match[1].toLowerCase()] = match[2];
  }
  return { scheme, params };
}

// Docker Hub's images are named `docker.io/…` but its v2 API answers at registry-1.docker.io.
const apiHosts: Record<string, string> = {
  'docker.io': 'registry-1.docker.io',
  'index.docker.io': 'registry-1.docker.io',
};

function baseUrl(registry: RegistryAuth): string {
  return `${registry.insecure ? 'http' : 'https'}://${apiHosts[registry.host] ?? registry.host}`;
}

function basic(registry: RegistryAuth): string {
  return Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
}

/** The one "Registry authentication failed" message, shared with the builders. */
export function authFailure(registry: Pick<RegistryAuth, 'host' | 'username'>, detail?: string) {
  const what = detail ?? `it rejected the credentials of user "${registry.username}"`;
  return buildFailure(
    BuildErrorType.RegistryAuthFailed,
    `Registry authentication failed: ${registry.host} refused the login (${what}). Re-check the registry username/password.`,
  );
}

/**
 * Refuses a registry whose password was cleared because its URL changed (stored as ''): nothing is sent to the
 * new host until an admin enters the password for it.
 */
export function requireRegistryPassword(registry: { name: string; host: string; password: string }): void {
  if (registry.password !== '') return;
  throw buildFailure(
    BuildErrorType.RegistryAuthFailed,
    `Registry authentication failed: registry ${registry.name} has no password since its URL changed to ${registry.host}; enter it again in the registry settings, then retry the build.`,
  );
}
