/** Languages Kiln recognises, as shown to users ("Language: Node.js"). */
export type Language = 'Node.js' | 'Python' | 'Go' | 'Java' | 'Kotlin' | 'Ruby' | 'PHP' | 'Rust' | '.NET' | 'Static';

/** A project found in one folder of the repository (the root, or a monorepo sub-project). */
export interface ProjectInfo {
  language: Language | null;
  /** e.g. React, Next.js, Spring Boot, Django; null when none is recognised. */
  framework: string | null;
  /** e.g. npm, pnpm, poetry, Maven; null when none applies. */
  packageManager: string | null;
  typescript: boolean;
}

/** A monorepo sub-project: its folder, its Dockerfile (null when it has none) and what it is. */
export interface Subproject {
  /** Image-friendly name, normally the folder name (`backend`). */
  name: string;
  /** Folder relative to the repository root, POSIX separators, no leading `./` (`apps/web`). */
  path: string;
  /** Dockerfile relative to the repository root (`apps/web/Dockerfile`), or null. */
  dockerfilePath: string | null;
  language: Language | null;
  framework: string | null;
}

/** What "Detect Services" shows: language, framework, package manager, build type, TypeScript, Dockerfile. */
export interface DetectionResult {
  language: Language | null;
  framework: string | null;
  packageManager: string | null;
  buildType: 'single' | 'mono';
  typescript: boolean;
  /** Dockerfile relative to the repository root (`Dockerfile`, `docker/Dockerfile`), or null. */
  dockerfilePath: string | null;
  subprojects: Subproject[];
}
