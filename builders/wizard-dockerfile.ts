import { realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildRequest } from './builder';

/** What the build log says when the stored Build Wizard Dockerfile is used. */
export const wizardDockerfileLine = "Using the Dockerfile from Kiln's Build Wizard: the repository has none";

/** The Build Wizard's files written for one build, outside the checkout. */
export interface WizardFiles {
  dockerfile: string;
  /** Set when the build context has no .dockerignore of its own. */
  ignoreFile?: string;
}

/**
 * The stored Build Wizard Dockerfile when the build has one and the repository has no file at `dockerfilePath`
 * (a repository's own Dockerfile always wins). The files go to `tmpDir`, never into the checkout: writing there
 * would follow a symlink the repository planted (`Dockerfile -> /etc/…`).
 */
export async function wizardFilesFor(
  checkoutDir: string,
  request: BuildRequest,
  tmpDir: string,
): Promise<WizardFiles | null> {
  if (!request.wizardDockerfile) return null;
  const root = await realpath(checkoutDir);
  if (await isFileInside(root, request.dockerfilePath)) return null;
  const dockerfile = path.join(tmpDir, 'Dockerfile.build-wizard');
  await writeFile(dockerfile, request.wizardDockerfile.dockerfile, { mode: 0o600 });
  const contextIgnore = path.join(request.contextPath || '.', '.dockerignore');
  if (request.wizardDockerfile.dockerignore === '' || (await isFileInside(root, contextIgnore))) return { dockerfile };
  const ignoreFile = path.join(tmpDir, 'build-wizard.dockerignore');
  await writeFile(ignoreFile, request.wizardDockerfile.dockerignore, { mode: 0o600 });
  return { dockerfile, ignoreFile };
}

async function isFileInside(root: string, rel: string): Promise<boolean> {
  const abs = await realpath(path.resolve(root, rel)).catch(() => null);
  if (abs == null || !(abs === root || abs.startsWith(root + path.sep))) return false;
  return (await stat(abs).catch(() => null))?.isFile() === true;
}
