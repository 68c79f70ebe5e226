import { join, type RepoFiles } from './files';

// Where projects keep their Dockerfile, most common first.
const candidates = [
  'Dockerfile',
  'dockerfile',
  'Containerfile',
  'docker/Dockerfile',
  '.docker/Dockerfile',
  'build/Dockerfile',
  'deploy/Dockerfile',
];

/** The Dockerfile of the project in `dir`, relative to the repository root, or null. */
export async function findDockerfile(files: RepoFiles, dir: string): Promise<string | null> {
  for (const candidate of candidates) {
    const rel = join(dir, candidate);
    if (await files.isFile(rel)) return rel;
  }
  return null;
}

/** True when `dir` holds a Dockerfile itself (not in a docker/ subfolder). */
export async function hasOwnDockerfile(files: RepoFiles, dir: string): Promise<boolean> {
  const names = await files.filesIn(dir);
  return names.some((name) => name === 'Dockerfile' || name === 'dockerfile' || name === 'Containerfile');
}
