import { join, mentionsPackage, type RepoFiles } from '../detect/files';
import type { PackageJson } from '../detect/node';
import type { ProjectInfo } from '../detect/types';
import type { ProjectFacts } from './types';

interface PackageJsonWithScripts extends PackageJson {
  scripts?: Record<string, unknown>;
}

const portPatterns = [/(?:--port[ =]|-p\s+|\bPORT=)(\d{2,5})\b/, /(?:0\.0\.0\.0|localhost|\[::\]):(\d{2,5})\b/];
const sourcePortPatterns = [
  /\.listen\(\s*(\d{2,5})\b/,
  /\bPORT\b[^\n]{0,40}?(?:\|\||\?\?|,)\s*['"]?(\d{2,5})\b/,
  /["'`]:(\d{2,5})["'`]/,
  /\bport\s*=\s*(\d{2,5})\b/,
  /^server\.port\s*[=:]\s*(\d{2,5})\s*$/m,
  /^\s+port:\s*(\d{2,5})\s*$/m,
];
const sourceFiles = [
  'server.js',
  'index.js',
  'app.js',
  'main.js',
  'src/main.ts',
  'src/index.ts',
  'src/server.ts',
  'src/index.js',
  'main.go',
  'cmd/server/main.go',
  'main.py',
  'app.py',
  'app/main.py',
  'src/main/resources/application.properties',
  'src/main/resources/application.yml',
  'src/main.rs',
  'Properties/launchSettings.json',
];

/**
 * The facts the generator needs about folder `dir`, read (never executed) from the checkout. Everything read is
 * untrusted: it is only ever data to the generator.
 */
export async function readProjectFacts(files: RepoFiles, dir: string, info: ProjectInfo): Promise<ProjectFacts> {
  const names = await files.filesIn(dir);
  const pkg = await files.json<PackageJsonWithScripts>(join(dir, 'package.json'));
  const scripts = Object.fromEntries(
    Object.entries(pkg?.scripts ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const procfile = await files.read(join(dir, 'Procfile'));
  const procfileWeb = procfile?.match(/^web:[ \t]*(\S[^\r\n]*)$/m)?.[1]?.trim() ?? null;
  return {
    path: dir,
    ...info,
    files: names,
    scripts,
    dependencies: await dependencyNames(files, dir, pkg),
    procfileWeb,
    port: await findPort(files, dir, scripts, procfileWeb),
    goMainPackages: info.language === 'Go' ? await goMains(files, dir) : [],
    cargoBinary: cargoBinary(await files.read(join(dir, 'Cargo.toml'))),
    dotnetProject: names.filter((name) => /\.(cs|fs|vb)proj$/.test(name)).sort()[0] ?? null,
    djangoProject: djangoProject(await files.read(join(dir, 'manage.py'))),
    pythonApp: await pythonApp(files, dir),
    yarnBerry: names.includes('.yarnrc.yml') || /^yarn@[2-9]/.test(pkg?.packageManager ?? ''),
    gradleWrapper: names.includes('gradlew'),
    staticRoot: !names.includes('index.html') && (await files.isFile(join(dir, 'public/index.html'))) ? 'public' : '',
  };
}

async function dependencyNames(files: RepoFiles, dir: string, pkg: PackageJson | null): Promise<string[]> {
  const node = Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies });
  const texts = await Promise.all(
    ['requirements.txt', 'pyproject.toml', 'Pipfile', 'Gemfile'].map((file) => files.read(join(dir, file))),
  );
  const declared = texts.filter((text) => text != null).join('\n');
  const servers = ['gunicorn', 'uvicorn', 'puma'].filter((name) => mentionsPackage(declared, [name]));
  return [...node, ...servers];
}

function portFrom(text: string | null | undefined, patterns: RegExp[]): number | null {
  for (const pattern of patterns) {
    const value = Number(text?.match(pattern)?.[1]);
    if (Number.isInteger(value) && value >= 1 && value <= 65535) return value;
  }
  return null;
}

async function findPort(
  files: RepoFiles,
  dir: string,
  scripts: Record<string, string>,
  procfileWeb: string | null,
): Promise<ProjectFacts['port']> {
  const candidates: Array<[source: string, text: string | null | undefined, patterns: RegExp[]]> = [
    ['the Procfile', procfileWeb, portPatterns],
    ['package.json scripts.start', scripts.start, portPatterns],
    ['.env.example', await files.read(join(dir, '.env.example')), [/^PORT=(\d{2,5})\s*$/m]],
  ];
  for (const file of sourceFiles) candidates.push([file, await files.read(join(dir, file)), sourcePortPatterns]);
  for (const [source, text, patterns] of candidates) {
    const value = portFrom(text, patterns);
    if (value != null) return { value, source };
  }
  return null;
}

async function goMains(files: RepoFiles, dir: string): Promise<string[]> {
  const found: string[] = [];
  if (/^package main\b/m.test((await files.read(join(dir, 'main.go'))) ?? '')) found.push('.');
  for (const name of ['server', 'api', 'app', 'web', 'main']) {
    if (/^package main\b/m.test((await files.read(join(dir, 'cmd', name, 'main.go'))) ?? '')) found.push(`cmd/${name}`);
  }
  return found;
}

function cargoBinary(cargo: string | null): string | null {
  const bin = cargo?.match(/^\[\[bin\]\][^[]*?^name\s*=\s*"([^"\n]+)"/ms)?.[1];
  return bin ?? cargo?.match(/^\[package\][^[]*?^name\s*=\s*"([^"\n]+)"/ms)?.[1] ?? null;
}

function djangoProject(managePy: string | null): string | null {
  const module = managePy?.match(/DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z_][A-Za-z0-9_]*)\.settings/)?.[1];
  return module ?? null;
}

async function pythonApp(files: RepoFiles, dir: string): Promise<string | null> {
  const candidates: Array<[file: string, module: string]> = [
    ['main.py', 'main'],
    ['app.py', 'app'],
    ['app/main.py', 'app.main'],
    ['src/main.py', 'src.main'],
    ['wsgi.py', 'wsgi'],
  ];
  for (const [file, module] of candidates) {
    const text = await files.read(join(dir, file));
    const variable = text?.match(/^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:FastAPI|Flask)\(/m)?.[1];
    if (variable) return `${module}:${variable}`;
  }
  return null;
}
