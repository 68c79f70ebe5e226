import { findDockerfile } from './dockerfile';
import { RepoFiles } from './files';
import { findSubprojectDirs } from './monorepo';
import { detectProjectInfo } from './project';
import type { DetectionResult, ProjectInfo, Subproject } from './types';

export type { DetectionResult, Language, Subproject } from './types';
export { selectSubprojectsForChanges } from './changes';

/**
 * Inspects a checked-out repository (files only, nothing is executed): language, framework, package manager,
 * TypeScript, Dockerfile, and for monorepos the sub-projects with their own Dockerfiles.
 */
export async function detectProject(dir: string): Promise<DetectionResult> {
  const files = new RepoFiles(dir);
  const root = await detectProjectInfo(files, '');
  const dockerfilePath = await findDockerfile(files, '');
  const { dirs, fromWorkspace } = await findSubprojectDirs(files, dockerfilePath, root.language != null);
  const subprojects = await Promise.all(dirs.map((path) => describeSubproject(files, path)));
  nameUniquely(subprojects);
  const mono = subprojects.length >= 2 || (fromWorkspace && subprojects.length >= 1);
  if (!mono) return { ...root, buildType: 'single', dockerfilePath, subprojects: [] };
  const infos = await Promise.all(dirs.map((path) => detectProjectInfo(files, path)));
  return {
    ...summarize(root, infos),
    buildType: 'mono',
    typescript: root.typescript || infos.some((info) => info.typescript),
    dockerfilePath,
    subprojects,
  };
}

/** Activities wrapper so the worker can register detection like every other activity. */
export function createDetectActivities() {
  return {
    /** Detects the project checked out in `dir`. */
    detectProject,
  };
}

async function describeSubproject(files: RepoFiles, path: string): Promise<Subproject> {
  const info = await detectProjectInfo(files, path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    name,
    path,
    dockerfilePath: await findDockerfile(files, path),
    language: info.language,
    framework: info.framework,
  };
}

/** Two sub-projects both called `api` (services/api, tools/api) get their whole path as name. */
function nameUniquely(subprojects: Subproject[]): void {
  const counts = new Map<string, number>();
  for (const s of subprojects) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  for (const s of subprojects) if ((counts.get(s.name) ?? 0) > 1) s.name = s.path.replace(/\//g, '-');
}

/** The root's own answer where it has one; otherwise the one language/framework most sub-projects share. */
function summarize(root: ProjectInfo, infos: ProjectInfo[]): Omit<ProjectInfo, 'typescript'> {
  const language = root.language ?? mostCommon(infos.map((i) => i.language));
  const sameLanguage = infos.filter((i) => i.language === language);
  const frameworks = new Set(sameLanguage.map((i) => i.framework).filter((f) => f != null));
  return {
    language,
    framework: root.framework ?? (frameworks.size === 1 ? ([...frameworks][0] ?? null) : null),
    packageManager: root.packageManager ?? sameLanguage.find((i) => i.packageManager != null)?.packageManager ?? null,
  };
}

function mostCommon<T>(values: Array<T | null>): T | null {
  const counts = new Map<T, number>();
  for (const v of values) if (v != null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  for (const [value, count] of counts) if (best == null || count > (counts.get(best) ?? 0)) best = value;
  return best;
}
