import { detectProject } from '../detect';
import { RepoFiles } from '../detect/files';
import { detectProjectInfo } from '../detect/project';
import { readProjectFacts } from './facts';
import { generateDockerfile } from './generate';
import type { GeneratedDockerfile, GeneratorOptions } from './types';

export { generateDockerfile, NothingToGenerateError } from './generate';
export { baseImagePrefixProblem, baseImages } from './images';
export type { GeneratedDockerfile, GeneratorOptions, ProjectFacts } from './types';

/** What the wizard shows under "Detected": the folder and what it is. */
export interface WizardDetection {
  path: string;
  language: string | null;
  framework: string | null;
  packageManager: string | null;
  typescript: boolean;
  /** The folder's own Dockerfile when it has one (the wizard then says the repository's wins). */
  dockerfilePath: string | null;
  port: number | null;
  buildType: 'single' | 'mono';
  subprojects: Array<{ name: string; path: string; language: string | null; framework: string | null }>;
}

/** A generated Dockerfile with what detection found that led to it. */
export interface WizardProposal extends GeneratedDockerfile {
  detected: WizardDetection;
}

/** Thrown when the asked sub-project path is not one detection found. */
export class UnknownSubprojectError extends Error {}

/** Detects the checkout in `dir` and proposes a Dockerfile for the root or for sub-project `path`. */
export async function proposeDockerfile(
  dir: string,
  path: string | undefined,
  options: GeneratorOptions,
): Promise<WizardProposal> {
  const detection = await detectProject(dir);
  const files = new RepoFiles(dir);
  const sub = path ? detection.subprojects.find((s) => s.path === path) : undefined;
  if (path && !sub) {
    const known = detection.subprojects.map((s) => s.path).join(', ') || 'none';
    throw new UnknownSubprojectError(`Sub-project ${path} was not detected in the repository (detected: ${known}).`);
  }
  const folder = sub?.path ?? '';
  const info = sub ? await detectProjectInfo(files, folder) : detection;
  const facts = await readProjectFacts(files, folder, {
    language: info.language,
    framework: info.framework,
    packageManager: info.packageManager,
    typescript: info.typescript,
  });
  const generated = generateDockerfile(facts, options);
  return {
    ...generated,
    detected: {
      path: folder,
      language: facts.language,
      framework: facts.framework,
      packageManager: facts.packageManager,
      typescript: facts.typescript,
      dockerfilePath: sub ? sub.dockerfilePath : detection.dockerfilePath,
      port: facts.port?.value ?? null,
      buildType: detection.buildType,
      subprojects: detection.subprojects.map(({ name, path: p, language, framework }) => ({
        name,
        path: p,
        language,
        framework,
      })),
    },
  };
}
