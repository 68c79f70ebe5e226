import { loadProviderConnection, plainGitMessage } from '../../clients/git-providers/connection';
import { createGitLabClient, type GitLabClient } from '../../clients/git-providers/gitlab';
import type { AppDeps, AuthUser } from '../deps';
import { apiError } from '../errors';
import { loadVisibleService, type ServiceRow } from '../services/load-service';

/** A service whose pipelines Kiln can show: its GitLab project and a client with the organization's token. */
export type LinkedProject = { linked: true; client: GitLabClient; project: string; projectPath: string };
/** Why a service has no pipelines to show, with the how-to message the UI displays. */
export type NotLinked = { linked: false; reason: 'not-gitlab' | 'no-token' | 'plain-git'; message: string };

/** The GitLab project behind the service, or why there is none. */
export async function pipelineTarget({ db, cipher }: AppDeps, service: ServiceRow): Promise<LinkedProject | NotLinked> {
  if (service.gitProvider !== 'gitlab') {
    return {
      linked: false,
      reason: 'not-gitlab',
      message: `Service ${service.name} is not linked to a GitLab project (its repository is on GitHub). Pipelines come from GitLab CI/CD: set the service's repository URL to a GitLab project in its settings to see them here.`,
    };
  }
  const result = await loadProviderConnection(db, cipher, service);
  if (!result.ok) return { linked: false, reason: 'no-token', message: result.message };
  if (!result.connection.providerApi) {
    return { linked: false, reason: 'plain-git', message: plainGitMessage(result.connection.baseUrl, 'pipelines') };
  }
  const { baseUrl, token, project, projectPath } = result.connection;
  return { linked: true, client: createGitLabClient({ baseUrl, token, timeoutMs: 20_000 }), project, projectPath };
}

/** The linked project of a service the caller may see; 409 with the how-to message when there is none. */
export async function linkedProject(deps: AppDeps, user: AuthUser, serviceId: string): Promise<LinkedProject> {
  const target = await pipelineTarget(deps, await loadVisibleService(deps.db, user, serviceId));
  if (!target.linked) throw apiError(409, target.message);
  return target;
}
