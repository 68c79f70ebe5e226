import picomatch from 'picomatch';
import type { Subproject } from './types';

/** Which sub-projects a push rebuilds: only the changed ones or all, and which root files rebuild all. */
export interface ChangeSelectionOptions {
  /** 'changed' (default) builds only touched sub-projects; 'all' builds every buildable one. */
  mode?: 'changed' | 'all';
  /** Root files whose change rebuilds everything (shared lockfiles and manifests by default). */
  rebuildAllOn?: string[];
}

/** Changes to these, outside every sub-project, can change what any sub-project builds. */
export const defaultRebuildAllOn = [
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'bun.lockb',
  'bun.lock',
  'turbo.json',
  'nx.json',
  'lerna.json',
  'tsconfig*.json',
  '.dockerignore',
  'go.work',
  'go.work.sum',
  'pom.xml',
  'settings.gradle',
  'settings.gradle.kts',
  'build.gradle',
  'build.gradle.kts',
  'Cargo.toml',
  'Cargo.lock',
];

/**
 * The buildable sub-projects (those with a Dockerfile) that a push touching `changedPaths` should rebuild:
 * - a path inside a sub-project's folder, or its Dockerfile, selects that sub-project;
 * - a path inside a sub-project without a Dockerfile (a shared library) selects all, since any may use it;
 * - a root file matching `rebuildAllOn` selects all; other root files (README.md, docs/) select none;
 * - no list of changed paths (unknown, e.g. a tag push or a forced push) selects all.
 */
export function selectSubprojectsForChanges(
  subprojects: Subproject[],
  changedPaths: string[] | null | undefined,
  options: ChangeSelectionOptions = {},
): Subproject[] {
  const buildable = subprojects.filter((s) => s.dockerfilePath != null);
  if (options.mode === 'all' || changedPaths == null || changedPaths.length === 0) return buildable;
  const rebuildsAll = picomatch(options.rebuildAllOn ?? defaultRebuildAllOn, { dot: true });
  const selected = new Set<Subproject>();
  for (const raw of changedPaths) {
    const changed = raw.replace(/^\.?\//, '');
    const owner = subprojects.find((s) => isInside(changed, s.path) || changed === s.dockerfilePath);
    if (owner == null ? rebuildsAll(changed) : owner.dockerfilePath == null) return buildable;
    if (owner != null) selected.add(owner);
    for (const s of buildable) if (changed === s.dockerfilePath) selected.add(s);
  }
  return buildable.filter((s) => selected.has(s));
}

function isInside(file: string, dir: string): boolean {
  return dir === '' || file === dir || file.startsWith(dir + '/');
}
