import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Folders under KILN_DATA_DIR whose contents keep the modes their tools gave them (see `protectDataDir`). */
export const dataDirFolders = {
  /** Git checkouts, one per build: their file modes end up in images (`COPY`), so they stay as git made them. */
  workspaces: 'workspaces',
  /** Buildah's image store: layer contents carry the images' own file modes (setuid, world-readable /etc). */
  buildah: 'buildah',
} as const;

/** What every Kiln process creates: files 0600 and folders 0700 (`npm start`, the API and worker processes). */
export const PRIVATE_UMASK = 0o077;

/**
 * Makes KILN_DATA_DIR private to the user Kiln runs as, also for an install made before this existed: the folder
 * becomes 0700, and every file and folder in it loses its group and other bits (0600/0700; symlinks are never
 * followed). Workspaces and the image store are created 0700 but not walked (their contents' modes matter for
 * the images built, and nobody else can enter them). `memory://` has no folder.
 */
export async function protectDataDir(dataDir: string): Promise<void> {
  if (dataDir === 'memory://') return;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const sealed = new Set(Object.values(dataDirFolders).map((name) => path.resolve(dataDir, name)));
  for (const folder of sealed) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
  }
  await makePrivate(path.resolve(dataDir), sealed);
}

async function makePrivate(folder: string, sealed: Set<string>): Promise<void> {
  for (const name of await readdir(folder)) {
    const entry = path.join(folder, name);
    const info = await lstat(entry).catch(() => undefined);
    if (!info || info.isSymbolicLink()) continue;
    if ((info.mode & 0o077) !== 0) await chmod(entry, info.mode & 0o700).catch(ignoreVanished);
    if (info.isDirectory() && !sealed.has(entry)) await makePrivate(entry, sealed);
  }
}

// PostgreSQL or a build may delete a file between readdir and chmod.
function ignoreVanished(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
