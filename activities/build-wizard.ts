import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { organizations, services } from '../db/schema';
import { createCloneActivities } from './clone';
import { NothingToGenerateError, proposeDockerfile, UnknownSubprojectError } from './dockerfile-generator';
import type { WizardProposal } from './dockerfile-generator';
import { BuildErrorType, buildFailure, transientFailure } from './errors';
import { cloneProviderFor } from './git-command';
import { loadProviderConnection, plainGitMessage, type ProviderConnection } from './providers/connection';
import { ProviderError } from './providers/errors';
import { createGitHubClient } from './providers/github';
import { createGitLabClient } from './providers/gitlab';

export interface BuildWizardDeps {
  db: Database;
  cipher: SecretCipher;
  workspaceRoot: string;
}

/** The branch the wizard's merge/pull request comes from; a second click finds the open one by it. */
export const wizardBranch = 'kiln/build-wizard';

export interface ProposeInput {
  serviceId: string;
  /** Sub-project folder; the repository root when absent. */
  path?: string;
}

export interface ServiceProposal extends WizardProposal {
  ref: string;
  sha: string;
}

export interface ChangeRequestInput {
  serviceId: string;
  path?: string;
  dockerfile: string;
  dockerignore: string;
}

export interface ChangeRequestResult {
  provider: 'gitlab' | 'github';
  /** Merge request iid or pull request number. */
  number: number;
  url: string;
  /** False when an open one from `kiln/build-wizard` already existed and was returned as it is. */
  created: boolean;
}

/** Activities behind the Build Wizard: propose a Dockerfile from a fresh clone, open the merge/pull request. */
export function createBuildWizardActivities({ db, cipher, workspaceRoot }: BuildWizardDeps) {
  const git = createCloneActivities({ workspaceRoot });
  const loadService = async (id: string) => {
    const [service] = await db.select().from(services).where(eq(services.id, id));
    if (!service) throw buildFailure(BuildErrorType.ConfigurationError, `Service ${id} no longer exists.`);
    return service;
  };

  return {
    /** Clones the default branch head, detects it and proposes a Dockerfile for the root or sub-project `path`. */
    async proposeServiceDockerfile(input: ProposeInput): Promise<ServiceProposal> {
      const service = await loadService(input.serviceId);
      const [org] = await db.select().from(organizations).where(eq(organizations.id, service.organizationId));
      const connection = await loadProviderConnection(db, cipher, service);
      const token = connection.ok ? connection.connection.token : undefined;
      const provider = cloneProviderFor(service.gitProvider, connection.ok ? connection.connection : null);
      const ref = `refs/heads/${service.defaultBranch}`;
      const sha = await git.resolveCommit({ repositoryUrl: service.repoUrl, ref, token, provider });
      const workspace = `wizard-${randomUUID()}`;
      try {
        const checkout = await git.cloneRepository({
          buildId: workspace,
          repositoryUrl: service.repoUrl,
          sha,
          ref,
          token,
          provider,
        });
        const proposal = await proposeDockerfile(checkout.dir, input.path, { baseImagePrefix: org?.baseImagePrefix });
        return { ...proposal, ref, sha };
      } catch (error) {
        if (error instanceof UnknownSubprojectError || error instanceof NothingToGenerateError)
          throw buildFailure(BuildErrorType.ConfigurationError, error.message);
        throw error;
      } finally {
        await git.removeWorkspace(workspace);
      }
    },

    /** Adds Dockerfile and .dockerignore on `kiln/build-wizard` and opens a merge/pull request, or finds the open one. */
    async openWizardChangeRequest(input: ChangeRequestInput): Promise<ChangeRequestResult> {
      const service = await loadService(input.serviceId);
      const connection = await loadProviderConnection(db, cipher, service);
      if (!connection.ok) throw buildFailure(BuildErrorType.ConfigurationError, connection.message);
      if (!connection.connection.providerApi) {
        const message = plainGitMessage(connection.connection.baseUrl, 'change-request');
        throw buildFailure(BuildErrorType.ConfigurationError, message);
      }
      const folder = input.path ? `${input.path}/` : '';
      const files = [
        { path: `${folder}Dockerfile`, content: input.dockerfile },
        { path: `${folder}.dockerignore`, content: input.dockerignore },
      ];
      try {
        return connection.connection.kind === 'gitlab'
          ? await openMergeRequest(connection.connection, files)
          : await openPullRequest(connection.connection, files);
      } catch (error) {
        if (error instanceof ProviderError) {
          const fail = error.transient ? transientFailure : buildFailure;
          throw fail(BuildErrorType.ConfigurationError, error.message);
        }
        throw error;
      }
    },
  };
}

export type BuildWizardActivities = ReturnType<typeof createBuildWizardActivities>;

/** A file the merge/pull request adds, by repository path. */
export type WizardFile = { path: string; content: string };
const title = "Add a Dockerfile from Kiln's Build Wizard";
const message = 'Add Dockerfile and .dockerignore generated by Kiln Build Wizard';
const description = (files: WizardFile[]) =>
  `Kiln's Build Wizard proposes ${files.map((f) => `\`${f.path}\``).join(' and ')}, generated from what it detected and reviewed in Kiln. Merging it lets Kiln build this repository with its own Dockerfile.`;

/** GitLab: the open merge request from `kiln/build-wizard`, or branch + one commit with actions + merge request. */
export async function openMergeRequest(
  connection: ProviderConnection,
  files: WizardFile[],
): Promise<ChangeRequestResult> {
  const gitlab = createGitLabClient({ baseUrl: connection.baseUrl, token: connection.token });
  const project = connection.project;
  const [open] = await gitlab.openMergeRequests(project, wizardBranch);
  if (open) return { provider: 'gitlab', number: open.iid, url: open.web_url, created: false };
  const target = await gitlab.defaultBranch(project);
  if (!(await gitlab.branchExists(project, wizardBranch))) await gitlab.createBranch(project, wizardBranch, target);
  const actions = await Promise.all(
    files.map(async (file) => ({ ...file, exists: await gitlab.fileExists(project, file.path, wizardBranch) })),
  );
  await gitlab.commitFiles(project, wizardBranch, message, actions);
  try {
    const mr = await gitlab.createMergeRequest(project, {
      sourceBranch: wizardBranch,
      targetBranch: target,
      title,
      description: description(files),
    });
    return { provider: 'gitlab', number: mr.iid, url: mr.web_url, created: true };
  } catch (error) {
    // A click at the same moment opened it first (GitLab: 409 "Another open merge request already exists").
    const [raced] = await gitlab.openMergeRequests(project, wizardBranch);
    if (raced) return { provider: 'gitlab', number: raced.iid, url: raced.web_url, created: false };
    throw error;
  }
}

/** GitHub: the open pull request from `kiln/build-wizard`, or ref + contents PUT per file + pull request. */
export async function openPullRequest(
  connection: ProviderConnection,
  files: WizardFile[],
): Promise<ChangeRequestResult> {
  const github = createGitHubClient({ baseUrl: connection.baseUrl, token: connection.token });
  const repo = connection.projectPath;
  const [open] = await github.openPullRequests(repo, wizardBranch);
  if (open) return { provider: 'github', number: open.number, url: open.url, created: false };
  const base = await github.defaultBranch(repo);
  if ((await github.branchSha(repo, wizardBranch)) == null) {
    const baseSha = await github.branchSha(repo, base);
    if (baseSha == null)
      throw new ProviderError(`Branch ${base} of ${repo} does not exist.`, 'github', 'notFound', 404);
    await github.createBranch(repo, wizardBranch, baseSha);
  }
  for (const file of files) {
    const sha = await github.fileSha(repo, file.path, wizardBranch);
    await github.putFile(repo, { ...file, branch: wizardBranch, message, sha });
  }
  try {
    const pull = await github.createPullRequest(repo, { head: wizardBranch, base, title, body: description(files) });
    return { provider: 'github', number: pull.number, url: pull.url, created: true };
  } catch (error) {
    // A click at the same moment opened it first (GitHub: 422 "A pull request already exists").
    const [raced] = await github.openPullRequests(repo, wizardBranch);
    if (raced) return { provider: 'github', number: raced.number, url: raced.url, created: false };
    throw error;
  }
}
