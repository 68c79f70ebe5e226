import { checkRegistryLogin, type RegistryAuth } from './registry';

/** What Test connection found for a registry. */
export interface RegistryCheckResult {
  host: string;
  /** True when the registry asked for a login and accepted these credentials. */
  authenticated: boolean;
  message: string;
}

const timeoutMs = 15_000;

/**
 * Tests a registry the way a push will use it: `GET /v2/` without credentials, then, when it asks for a login
 * (401 with a Basic or Bearer challenge), again with them. Throws an Error whose message says what is wrong.
 */
export async function checkRegistry(registry: RegistryAuth): Promise<RegistryCheckResult> {
  const url = `${registry.insecure ? 'http' : 'https'}://${apiHost(registry.host)}/v2/`;
  let first: Response;
  try {
    first = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    const hint = registry.insecure ? '' : ' For a plain-HTTP registry, turn on "insecure".';
    throw new Error(`Could not reach ${url} (${cause}). Check the registry address and that it is up.${hint}`);
  }
  if (first.ok) {
    return {
      host: registry.host,
      authenticated: false,
      message: `${registry.host} answers GET /v2/ without a login; the username and password were not needed to read, pushes may still need them.`,
    };
  }
  if (first.status !== 401) {
    throw new Error(
      `${url} answered ${first.status}, not 401 or 200: this does not look like an OCI registry's API address.`,
    );
  }
  // Same request, answering the challenge: throws "Registry authentication failed … refused the login".
  await checkRegistryLogin(registry);
  return {
    host: registry.host,
    authenticated: true,
    message: `${registry.host} accepted the login of user "${registry.username}".`,
  };
}

function apiHost(host: string): string {
  return host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host;
}
