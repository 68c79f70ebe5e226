import { join, mentionsPackage, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

const manifests = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py', 'setup.cfg'];
const frameworks: Array<[pkg: string, framework: string]> = [
  ['django', 'Django'],
  ['fastapi', 'FastAPI'],
  ['flask', 'Flask'],
];

/** A Python project in `dir`: pip, poetry, uv or pipenv, and Django/Flask/FastAPI from declared dependencies. */
export async function detectPython(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const present = new Set(await files.filesIn(dir));
  if (!manifests.some((file) => present.has(file))) return null;
  const pyproject = await files.read(join(dir, 'pyproject.toml'));
  const requirementFiles = [...present].filter((file) => /^requirements.*\.(txt|in)$/.test(file));
  const texts = await Promise.all(
    [...requirementFiles, 'pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg'].map((file) =>
      files.read(join(dir, file)),
    ),
  );
  const declared = texts.filter((text): text is string => text != null).join('\n');
  let framework = frameworks.find(([pkg]) => mentionsPackage(declared, [pkg]))?.[1] ?? null;
  if (framework == null && present.has('manage.py')) framework = 'Django';
  return { language: 'Python', framework, packageManager: pythonPackageManager(present, pyproject), typescript: false };
}

function pythonPackageManager(present: Set<string>, pyproject: string | null): string {
  if (present.has('uv.lock') || /^\[tool\.uv\b/m.test(pyproject ?? '')) return 'uv';
  if (present.has('poetry.lock') || /^\[tool\.poetry\b/m.test(pyproject ?? '')) return 'poetry';
  if (present.has('Pipfile')) return 'pipenv';
  if (present.has('pdm.lock') || /^\[tool\.pdm\b/m.test(pyproject ?? '')) return 'pdm';
  return 'pip';
}
