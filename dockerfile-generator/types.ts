import type { Language } from '../detect/types';

/** What the generator knows about one project folder: detection's answer plus facts read from its files. */
export interface ProjectFacts {
  /** Folder relative to the repository root ('' for the root); the build context. */
  path: string;
  language: Language | null;
  framework: string | null;
  packageManager: string | null;
  typescript: boolean;
  /** Names of the files directly in the folder (lock files, manifests, Procfile …). */
  files: string[];
  /** package.json `scripts` (untrusted text). */
  scripts: Record<string, string>;
  /** Dependency names from package.json, requirements, pyproject, Gemfile … (for framework-specific choices). */
  dependencies: string[];
  /** The `web:` line of a Procfile (untrusted text). */
  procfileWeb: string | null;
  /** A port the project itself names (scripts, Procfile, config, source), when one was found. */
  port: { value: number; source: string } | null;
  /** Go: folders (relative to the project) holding a `package main`, root first. */
  goMainPackages: string[];
  /** Rust: the binary name from Cargo.toml. */
  cargoBinary: string | null;
  /** .NET: the project file (`Api.csproj`). */
  dotnetProject: string | null;
  /** Python: the folder with `wsgi.py` (Django project package). */
  djangoProject: string | null;
  /** Python: `module:app` of a Flask/FastAPI app (`main:app`, `app:app`, `app.main:app`). */
  pythonApp: string | null;
  /** Yarn 2+ (Berry): `.yarnrc.yml` or `packageManager: yarn@2+`. */
  yarnBerry: boolean;
  /** A Gradle wrapper (`gradlew`) is committed. */
  gradleWrapper: boolean;
  /** Static site: the folder holding index.html ('' or 'public'). */
  staticRoot: string;
}

/** Options the organization controls. */
export interface GeneratorOptions {
  /** Registry mirror prefix put before every base image (`mirror.acme.dev/dockerhub/`); '' for the official ones. */
  baseImagePrefix?: string | null;
}

/** A proposed Dockerfile, its .dockerignore and why each choice was made. */
export interface GeneratedDockerfile {
  dockerfile: string;
  dockerignore: string;
  /** One line per decision, in words a user can check ("Install: npm ci, because package-lock.json is committed"). */
  reasons: string[];
}
