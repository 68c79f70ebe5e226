import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { hasOwnDockerfile } from './dockerfile';
import { join, type RepoFiles } from './files';
import type { PackageJson } from './node';

const maxDepth = 4;

/**
 * Folders of monorepo sub-projects, from workspace manifests (npm/yarn/pnpm workspaces, Lerna, Nx, Maven
 * modules, Gradle includes, go.work, Cargo workspaces) and from sub-folders that carry their own Dockerfile.
 * `rootDockerfile` is excluded so `docker/Dockerfile` of a single project is not mistaken for a sub-project.
 */
export async function findSubprojectDirs(
  files: RepoFiles,
  rootDockerfile: string | null,
  rootIsProject: boolean,
): Promise<{ dirs: string[]; fromWorkspace: boolean }> {
  const folders = (await files.folders(maxDepth)).filter((dir) => dir !== '');
  const workspace = new Set<string>();
  const globs = await workspaceGlobs(files);
  for (const dir of matchGlobs(folders, globs)) if (await looksLikeProject(files, dir)) workspace.add(dir);
  for (const dir of await literalModules(files)) if (folders.includes(dir)) workspace.add(dir);
  if (await files.isFile('nx.json')) {
    for (const dir of folders) if (await files.isFile(join(dir, 'project.json'))) workspace.add(dir);
  }
  const rootDockerDir = rootDockerfile?.includes('/') ? rootDockerfile.slice(0, rootDockerfile.lastIndexOf('/')) : '';
  const withDockerfile: string[] = [];
  for (const dir of folders) {
    if (dir === rootDockerDir || workspace.has(dir) || !(await hasOwnDockerfile(files, dir))) continue;
    if (!rootIsProject || (await looksLikeProject(files, dir))) withDockerfile.push(dir);
  }
  const dirs = [...workspace, ...withDockerfile].sort();
  // A folder inside another sub-project (e.g. apps/web/docker) belongs to it.
  const outermost = dirs.filter((dir) => !dirs.some((other) => other !== dir && dir.startsWith(other + '/')));
  return { dirs: outermost, fromWorkspace: workspace.size > 0 };
}

async function workspaceGlobs(files: RepoFiles): Promise<string[]> {
  const globs: string[] = [];
  const pkg = await files.json<PackageJson>('package.json');
  const workspaces = Array.isArray(pkg?.workspaces) ? pkg.workspaces : pkg?.workspaces?.packages;
  globs.push(...(workspaces ?? []));
  const pnpm = await files.read('pnpm-workspace.yaml');
  if (pnpm != null) globs.push(...stringList((safeYaml(pnpm) as { packages?: unknown } | null)?.packages));
  const lerna = await files.json<{ packages?: unknown }>('lerna.json');
  globs.push(...stringList(lerna?.packages));
  const cargo = await files.read('Cargo.toml');
  const members = cargo?.match(/^\[workspace\][^[]*?members\s*=\s*\[([^\]]*)\]/ms)?.[1];
  if (members) globs.push(...[...members.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ''));
  return globs.filter((glob) => typeof glob === 'string' && glob.trim() !== '');
}

/** Maven `<module>`s, Gradle `include`s and go.work `use` lines: plain paths, no globs. */
async function literalModules(files: RepoFiles): Promise<string[]> {
  const found: string[] = [];
  const pom = await files.read('pom.xml');
  for (const m of pom?.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g) ?? []) found.push(m[1] ?? '');
  const settings = (await files.read('settings.gradle')) ?? (await files.read('settings.gradle.kts'));
  for (const line of settings?.match(/^\s*include\b.*$/gm) ?? []) {
    for (const m of line.matchAll(/["']:?([^"']+)["']/g)) found.push((m[1] ?? '').replace(/:/g, '/'));
  }
  const goWork = await files.read('go.work');
  const useBlock = goWork?.match(/^use\s*\(([^)]*)\)/m)?.[1] ?? '';
  const useLines = goWork?.match(/^use\s+([^\s(]+)/gm)?.map((line) => line.replace(/^use\s+/, '')) ?? [];
  found.push(...useBlock.split(/\s+/), ...useLines);
  return found.map(normalizeDir).filter((dir) => dir !== '' && !dir.startsWith('..'));
}

function matchGlobs(folders: string[], globs: string[]): string[] {
  if (globs.length === 0) return [];
  const positive = globs.filter((g) => !g.startsWith('!')).map(normalizeDir);
  const negative = globs.filter((g) => g.startsWith('!')).map((g) => normalizeDir(g.slice(1)));
  const isIn = picomatch(positive.length > 0 ? positive : ['']);
  const isOut = negative.length > 0 ? picomatch(negative) : () => false;
  return folders.filter((dir) => isIn(dir) && !isOut(dir));
}

async function looksLikeProject(files: RepoFiles, dir: string): Promise<boolean> {
  const names = await files.filesIn(dir);
  const manifests = [
    'package.json',
    'go.mod',
    'pom.xml',
    'build.gradle',
    'build.gradle.kts',
    'requirements.txt',
    'pyproject.toml',
    'Pipfile',
    'Gemfile',
    'composer.json',
    'Cargo.toml',
    'index.html',
  ];
  return names.some((name) => manifests.includes(name) || /\.(cs|fs)proj$/.test(name));
}

function normalizeDir(dir: string): string {
  return dir.trim().replace(/^\.\//, '').replace(/\/+$/, '');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function safeYaml(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return null;
  }
}
