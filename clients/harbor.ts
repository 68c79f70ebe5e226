import { BuildErrorType, buildFailure } from '../domain/build-error';

/** The Harbor instance, project and account with which a project is found or created before a push. */
export interface EnsureHarborProjectInput {
  /** Harbor's base URL, e.g. `https://harbor.example.com`; a bare host means https. */
  url: string;
  project: string;
  /** A Harbor user or robot account (`robot$…`); robot accounts usually may push but not create projects. */
  auth: { username: string; password: string };
  /** New projects are private unless asked otherwise. */
  public?: boolean;
}

const requestTimeoutMs = 15_000;

/**
 * Makes sure the Harbor project images are pushed to exists, through Harbor's v2.0 API:
 * `HEAD /api/v2.0/projects?project_name=` (200 exists, 404 missing), then `POST /api/v2.0/projects`
 * (201 created, 409 created meanwhile).
 */
export async function ensureHarborProject(
  input: EnsureHarborProjectInput,
): Promise<{ project: string; created: boolean }> {
  const base = (/^https?:\/\//.test(input.url) ? input.url : `https://${input.url}`).replace(/\/+$/, '');
  const headers = {
    Authorization: `Basic ${Buffer.from(`${input.auth.username}:${input.auth.password}`).toString('base64')}`,
    Accept: 'application/json',
  };
  const exists = await harborRequest(base, `/api/v2.0/projects?project_name=${encodeURIComponent(input.project)}`, {
    method: 'HEAD',
    headers,
  });
  if (exists.status === 200) return { project: input.project, created: false };
  if (exists.status !== 404) throw await harborError(exists, input, 'check');
  const body = JSON.stringify({ project_name: input.project, metadata: { public: String(input.public ?? false) } });
  const created = await harborRequest(base, '/api/v2.0/projects', {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body,
  });
  if (created.status === 201) return { project: input.project, created: true };
  if (created.status === 409) return { project: input.project, created: false };
  throw await harborError(created, input, 'create');
}

async function harborRequest(base: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw buildFailure(
      BuildErrorType.RegistryUnavailable,
      `Registry unavailable: could not reach Harbor at ${base} (${cause}). Check the registry URL and that Harbor is up.`,
    );
  }
}

/** Harbor answers errors as `{"errors":[{"code","message"}]}`; the message is shown to the user. */
async function harborError(response: Response, input: EnsureHarborProjectInput, action: 'check' | 'create') {
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 200);
  try {
    detail =
      (JSON.parse(text) as { errors?: { message?: string }[] }).errors?.map((e) => e.message).join('; ') || detail;
  } catch {
    // not JSON: keep the raw text
  }
  const user = input.auth.username;
  if (response.status === 401) {
    return buildFailure(
      BuildErrorType.RegistryAuthFailed,
      `Registry authentication failed: Harbor rejected the credentials of user "${user}". Re-check the registry username/password.`,
    );
  }
  if (response.status === 403) {
    return buildFailure(
      BuildErrorType.PermissionDenied,
      `Permission denied: Harbor user "${user}" may not ${action} project "${input.project}". Create the project in Harbor, or use an account with project-creation rights (robot accounts usually lack them).`,
    );
  }
  if (response.status === 400) {
    return buildFailure(
      BuildErrorType.ConfigurationError,
      `Harbor refused project "${input.project}": ${detail || 'bad request'}. Use a lowercase name of letters, digits, '.', '_' or '-'.`,
    );
  }
  return new Error(
    `Harbor answered ${response.status} while trying to ${action} project "${input.project}": ${detail}`,
  );
}
