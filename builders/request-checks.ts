import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from '../process/run-process';
import { buildArgNamePattern } from '../db/secret-build-args';
import type { BuildRequest } from './builder';
import { BuildErrorType, buildFailure } from '../domain/build-error';
import { redactSecrets } from '../domain/redact';

/** Absolute context and Dockerfile paths, refusing anything outside the checkout; "Dockerfile not found" if absent. */
export async function resolvePaths(checkoutDir: string, request: BuildRequest, wizardDockerfile?: string) {
  const root = await realpath(checkoutDir);
  // Symlinks are resolved first: a repository must not point the build at files outside its checkout.
  const inside = async (rel: string) => {
    const abs = await realpath(path.resolve(root, rel)).catch(() => null);
    return abs != null && (abs === root || abs.startsWith(root + path.sep)) ? abs : null;
  };
  const contextDir = await inside(request.contextPath || '.');
  // The Build Wizard's file lives outside the checkout (in the build's temp folder), so the repository cannot touch it.
  const dockerfile = wizardDockerfile ?? (await inside(request.dockerfilePath));
  const isFile = dockerfile != null && (await stat(dockerfile).catch(() => null))?.isFile() === true;
  if (!isFile) {
    const repo = redactSecrets(request.source.repositoryUrl, [request.source.token]).replace(
      /^[a-z]+:\/\/(\*\*\*@)?/i,
      '',
    );
    throw buildFailure(
      BuildErrorType.DockerfileNotFound,
      `Dockerfile not found: ${request.dockerfilePath} does not exist in ${repo.replace(/\.git$/, '')}@${request.source.sha.slice(0, 12)}. Add one or set the Dockerfile path in Auto CI settings.`,
    );
  }
  if (contextDir == null || !(await stat(contextDir).catch(() => null))?.isDirectory()) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Build context ${request.contextPath} is not a folder of the repository.`,
    );
  }
  return { contextDir, dockerfile };
}

/** Refuses image references that are not on the request's registry (credentials are only for that host). */
export function assertImagesOnRegistry(request: BuildRequest): void {
  if (request.images.length === 0) throw buildFailure(BuildErrorType.ConfigurationError, 'No image name to push to.');
  for (const image of request.images) {
    if (!image.startsWith(`${request.registry.host}/`) || image.startsWith('-')) {
      throw buildFailure(
        BuildErrorType.ConfigurationError,
        `Image ${image} is not on registry ${request.registry.host}.`,
      );
    }
  }
}

/** Refuses build-arg names that are not plain variable names, and a name that is both plain and secret. */
export function validateBuildArgs(
  buildArgs: Record<string, string>,
  secretBuildArgs: Record<string, string> = {},
): void {
  for (const key of [...Object.keys(buildArgs), ...Object.keys(secretBuildArgs)]) {
    if (!buildArgNamePattern.test(key)) {
      throw buildFailure(
        BuildErrorType.ConfigurationError,
        `Build arg name ${JSON.stringify(key)} is not a valid variable name.`,
      );
    }
  }
  const both = Object.keys(secretBuildArgs).filter((key) => key in buildArgs);
  if (both.length > 0) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Build arg ${both.join(', ')} is both a plain and a secret build arg; keep one in Auto CI settings.`,
    );
  }
}

// Names buildah or its children read themselves: passing a build arg through one of these would change them.
const reservedEnv =
  /^(PATH|HOME|USER|TMPDIR|TZ|LANG|(BUILDAH|CONTAINERS|STORAGE|REGISTRY|XDG|LC|SSL)_.*|(HTTPS?|NO)_PROXY|(https?|no)_proxy)$/;

/**
 * Build args as buildah flags. Values travel in the child's environment (`--build-arg NAME` reads them from
 * there) because argv is world-readable and build args often carry tokens; names buildah itself reads
 * from the environment go in argv instead.
 */
export function buildArgsFor(buildArgs: Record<string, string>): { argv: string[]; env: Record<string, string> } {
  const argv: string[] = [];
  const env: Record<string, string> = {};
  const inherited = childEnv();
  for (const [name, value] of Object.entries(buildArgs)) {
    if (reservedEnv.test(name) || name in inherited) {
      argv.push('--build-arg', `${name}=${value}`);
    } else {
      argv.push('--build-arg', name);
      env[name] = value;
    }
  }
  return { argv, env };
}
