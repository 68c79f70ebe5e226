import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Folders never searched: dependencies, build output, VCS and editor state. */
const ignoredDirs = new Set([
  'node_modules',
  '.git',
  'vendor',
  'dist',
  'build',
  'target',
  'out',
  '.next',
  '.nuxt',
  '.venv',
  'venv',
  '__pycache__',
  'coverage',
  '.idea',
  '.vscode',
  'bin',
  'obj',
  '.turbo',
  '.cache',
  '.gradle',
  '.mvn',
]);
const maxFileBytes = 1024 * 1024;
const maxWalkedDirs = 5000;

/**
 * Read-only view of a checked-out repository; every path is POSIX and relative to the root. Symlinks that
 * lead outside the repository read as missing, so a repository cannot make detection read worker files.
 */
export class RepoFiles {
  private readonly texts = new Map<string, Promise<string | null>>();
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file's text, or null when it is missing, not a file or larger than 1 MiB. */
  read(rel: string): Promise<string | null> {
    let text = this.texts.get(rel);
    if (!text) {
      text = this.contained(rel).then((file) => (file == null ? null : readSmallFile(file)));
      this.texts.set(rel, text);
    }
    return text;
  }

  /** Parsed JSON, or null when missing or malformed. */
  async json<T>(rel: string): Promise<T | null> {
    const text = await this.read(rel);
    if (text == null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }

  async isFile(rel: string): Promise<boolean> {
    const file = await this.contained(rel);
    return file != null && ((await stat(file).catch(() => null))?.isFile() ?? false);
  }

  /** Names of the files (not folders) directly in `dir`. */
  async filesIn(dir: string): Promise<string[]> {
    const entries = await readdir(this.abs(dir), { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  }

  /** Every folder under the root (the root as ''), breadth first, up to `maxDepth` levels, skipping ignored ones. */
  async folders(maxDepth: number): Promise<string[]> {
    const found: string[] = [''];
    for (let i = 0; i < found.length && found.length < maxWalkedDirs; i++) {
      const dir = found[i] ?? '';
      if (depth(dir) >= maxDepth) continue;
      const entries = await readdir(this.abs(dir), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory() && !ignoredDirs.has(entry.name) && !entry.name.startsWith('.')) {
          found.push(join(dir, entry.name));
        }
      }
    }
    return found;
  }

  /** The real path of `rel` when it exists and (after following symlinks) stays inside the repository. */
  private async contained(rel: string): Promise<string | null> {
    const real = await realpath(this.abs(rel)).catch(() => null);
    const root = await realpath(this.root).catch(() => this.root);
    return real != null && (real === root || real.startsWith(root + path.sep)) ? real : null;
  }

  private abs(rel: string): string {
    const resolved = path.resolve(this.root, rel);
    if (resolved !== this.root && !resolved.startsWith(this.root + path.sep))
      throw new Error(`Path escapes repo: ${rel}`);
    return resolved;
  }
}

/** Joins POSIX path parts, treating '' and '.' as the root. */
export function join(...parts: string[]): string {
  return path.posix.normalize(parts.filter((p) => p !== '' && p !== '.').join('/') || '.').replace(/^\.$/, '');
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

async function readSmallFile(file: string): Promise<string | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile() || info.size > maxFileBytes) return null;
  return readFile(file, 'utf8').catch(() => null);
}

/** True when a dependency list text names any of `names` as a whole package name (case-insensitive). */
export function mentionsPackage(text: string | null, names: string[]): boolean {
  if (text == null) return false;
  return names.some((name) => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return new RegExp(`(^|[\\s"'\`=,(\\[])${escaped}($|[\\s"'\`=<>~!;,\\[\\])@:])`, 'im').test(text);
  });
}
