import { existsSync } from 'node:fs';
import type { BuildForWorkflow } from '../db/builds';
import type { RegistryAuth } from '../clients/registry';
import { requireRegistryPassword } from '../clients/registry';
import type { BuildResources } from '../domain/build-profile';
import { BuildErrorType, buildFailure } from '../domain/build-error';
import { imageReferences, imageRepository } from '../domain/image-name';
import { changeImageTag } from '../domain/merge-request';
import { cloneProviderFor } from '../git/git-command';
import type { BuildRequest } from './builder';

/** Where the worker cloned the source and what the Profile step chose. */
export interface BuildRequestSettings {
  checkoutDir: string;
  contextPath: string;
  dockerfilePath: string;
  resources: BuildResources;
}

/** The request either driver builds from a loaded build: source, Dockerfile, args, image names and credentials. */
export function buildRequest(loaded: BuildForWorkflow, input: BuildRequestSettings): BuildRequest {
  const { build, service, registry, autoCi } = loaded;
  if (!registry) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Service ${service.name} has no registry: add one in the service settings, then retry the build.`,
    );
  }
  if (!build.sha) throw buildFailure(BuildErrorType.ConfigurationError, 'The build has no commit to build.');
  requireRegistryPassword(registry);
  const name = build.subproject ?? autoCi.imageName;
  const naming = { registryHost: registry.host, project: registry.project, prefix: autoCi.imagePrefix, name };
  const auth: RegistryAuth = {
    host: registry.host,
    username: registry.username,
    password: registry.password,
    insecure: registry.insecure,
  };
  return {
    buildId: build.id,
    organizationId: service.organizationId,
    source: {
      repositoryUrl: service.repoUrl,
      sha: build.sha,
      ref: build.ref,
      token: loaded.git?.token,
      provider: cloneProviderFor(service.gitProvider, loaded.git),
      checkoutDir: existsSync(input.checkoutDir) ? input.checkoutDir : undefined,
    },
    contextPath: input.contextPath,
    dockerfilePath: input.dockerfilePath,
    buildArgs: autoCi.buildArgs,
    // Stored for the repository root only: a sub-project's build context would not match it.
    wizardDockerfile: build.subproject ? undefined : (autoCi.wizardDockerfile ?? undefined),
    secretBuildArgs: autoCi.secretBuildArgs,
    untrusted: !loaded.trusted,
    images: imageReferences({
      ...naming,
      sha: build.sha,
      branch: build.branch ?? undefined,
      tag: build.tag ?? undefined,
      mergeRequestIid: build.mergeRequestIid,
      pullRequestNumber: build.pullRequestNumber,
    }),
    cacheRef: `${imageRepository(naming)}:${cacheTag(build)}`,
    registry: auth,
    resources: input.resources,
  };
}

// Merge and pull request builds keep their own layer cache, so unmerged code cannot seed the one branch builds reuse.
function cacheTag(build: BuildForWorkflow['build']): string {
  const change = changeImageTag(build);
  return change !== undefined ? `buildcache-${change}` : 'buildcache';
}
