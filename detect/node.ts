import { join, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

/** The fields of a package.json that detection reads. */
export interface PackageJson {
  name?: string;
  packageManager?: string;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

// Order matters: meta-frameworks before the libraries they are built on (Next.js uses React, NestJS Express).
const frameworks: Array<[dependency: string, framework: string]> = [
  ['next', 'Next.js'],
  ['nuxt', 'Nuxt'],
  ['@nestjs/core', 'NestJS'],
  ['@angular/core', 'Angular'],
  ['@sveltejs/kit', 'Svelte'],
  ['svelte', 'Svelte'],
  ['vue', 'Vue'],
  ['react', 'React'],
  ['express', 'Express'],
  ['fastify', 'Fastify'],
  ['koa', 'Koa'],
  ['hono', 'Hono'],
];

const lockfiles: Array<[file: string, manager: string]> = [
  ['bun.lockb', 'bun'],
  ['bun.lock', 'bun'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
];

/** A Node.js project in `dir` (it has a package.json): framework, package manager, TypeScript. */
export async function detectNode(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const pkg = await files.json<PackageJson>(join(dir, 'package.json'));
  if (pkg == null) return null;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const framework = frameworks.find(([dependency]) => dependency in deps)?.[1] ?? null;
  return {
    language: 'Node.js',
    framework,
    packageManager: await nodePackageManager(files, dir, pkg),
    typescript: 'typescript' in deps || (await files.isFile(join(dir, 'tsconfig.json'))),
  };
}

/** `packageManager` field first, then the nearest lockfile up to the root (workspaces keep one at the top). */
async function nodePackageManager(files: RepoFiles, dir: string, pkg: PackageJson): Promise<string> {
  const declared = pkg.packageManager?.split('@')[0];
  if (declared && ['npm', 'yarn', 'pnpm', 'bun'].includes(declared)) return declared;
  for (let current = dir; ; current = parent(current)) {
    const present = new Set(await files.filesIn(current));
    const found = lockfiles.find(([file]) => present.has(file));
    if (found) return found[1];
    if (current === '') return 'npm';
  }
}

function parent(dir: string): string {
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? '' : dir.slice(0, slash);
}
