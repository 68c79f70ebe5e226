import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProject, type DetectionResult } from '../../detect';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** Writes `files` into a fresh temp repository and runs detection on it. */
async function detect(files: Record<string, string>): Promise<DetectionResult> {
  const root = await mkdtemp(path.join(tmpdir(), 'kiln-detect-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return detectProject(root);
}

const pkg = (deps: Record<string, string>, extra: object = {}) => JSON.stringify({ dependencies: deps, ...extra });

describe('detectProject: single projects per ecosystem', () => {
  it.each([
    ['React + npm', { 'package.json': pkg({ react: '19' }), 'package-lock.json': '{}' }, 'Node.js', 'React', 'npm'],
    [
      'Next.js + pnpm',
      { 'package.json': pkg({ next: '15', react: '19' }), 'pnpm-lock.yaml': '' },
      'Node.js',
      'Next.js',
      'pnpm',
    ],
    ['Vue + yarn', { 'package.json': pkg({ vue: '3' }), 'yarn.lock': '' }, 'Node.js', 'Vue', 'yarn'],
    ['Express + bun', { 'package.json': pkg({ express: '5' }), 'bun.lockb': '' }, 'Node.js', 'Express', 'bun'],
    ['NestJS', { 'package.json': pkg({ '@nestjs/core': '10', express: '4' }) }, 'Node.js', 'NestJS', 'npm'],
    ['packageManager field', { 'package.json': pkg({}, { packageManager: 'pnpm@9.1.0' }) }, 'Node.js', null, 'pnpm'],
    ['Django + pip', { 'requirements.txt': 'Django==5.0\npsycopg2\n', 'manage.py': '' }, 'Python', 'Django', 'pip'],
    [
      'Flask + poetry',
      { 'pyproject.toml': '[tool.poetry]\n[tool.poetry.dependencies]\nflask = "^3"\n', 'poetry.lock': '' },
      'Python',
      'Flask',
      'poetry',
    ],
    [
      'FastAPI + uv',
      { 'pyproject.toml': '[project]\ndependencies = ["fastapi>=0.110", "uvicorn"]\n', 'uv.lock': '' },
      'Python',
      'FastAPI',
      'uv',
    ],
    ['Go + Gin', { 'go.mod': 'module x\nrequire github.com/gin-gonic/gin v1.9.1\n' }, 'Go', 'Gin', 'Go modules'],
    [
      'Spring Boot + Maven',
      { 'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>' },
      'Java',
      'Spring Boot',
      'Maven',
    ],
    ['Gradle', { 'build.gradle': "plugins { id 'java' }\n" }, 'Java', null, 'Gradle'],
    ['Rails', { Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n" }, 'Ruby', 'Rails', 'Bundler'],
    [
      'Laravel',
      {
        'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11' } }),
        'package.json': pkg({ vite: '5' }),
      },
      'PHP',
      'Laravel',
      'Composer',
    ],
    ['Rust + Axum', { 'Cargo.toml': '[package]\nname = "x"\n[dependencies]\naxum = "0.7"\n' }, 'Rust', 'Axum', 'Cargo'],
    [
      'ASP.NET Core',
      { 'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>' },
      '.NET',
      'ASP.NET Core',
      'NuGet',
    ],
    ['static site', { 'index.html': '<h1>hi</h1>', 'style.css': '' }, 'Static', null, null],
  ])('%s', async (_name, files, language, framework, packageManager) => {
    const result = await detect({ ...files, Dockerfile: 'FROM scratch\n' });
    expect(result).toMatchObject({
      language,
      framework,
      packageManager,
      buildType: 'single',
      dockerfilePath: 'Dockerfile',
    });
    expect(result.subprojects).toEqual([]);
  });

  it('reports TypeScript from tsconfig.json or the typescript dependency', async () => {
    expect((await detect({ 'package.json': pkg({ express: '5' }), 'tsconfig.json': '{}' })).typescript).toBe(true);
    expect((await detect({ 'package.json': pkg({ typescript: '5' }) })).typescript).toBe(true);
    expect((await detect({ 'package.json': pkg({ express: '5' }) })).typescript).toBe(false);
  });

  it('finds a Dockerfile in docker/ without mistaking it for a sub-project', async () => {
    const result = await detect({ 'go.mod': 'module x\n', 'docker/Dockerfile': 'FROM scratch\n' });
    expect(result).toMatchObject({ buildType: 'single', dockerfilePath: 'docker/Dockerfile', language: 'Go' });
  });

  it('reports no Dockerfile and no language for an empty repository', async () => {
    expect(await detect({ 'README.md': '# hi' })).toMatchObject({
      language: null,
      dockerfilePath: null,
      buildType: 'single',
    });
  });

  it('does not mistake a word inside another package name for a framework', async () => {
    const result = await detect({ 'requirements.txt': 'flask-cors-helpers-not-flask==1\n' });
    expect(result).toMatchObject({ language: 'Python', framework: null });
  });
});

describe('detectProject: monorepos', () => {
  it('finds sub-projects from per-folder Dockerfiles (the frontend/backend/api-gateway layout)', async () => {
    const result = await detect({
      'frontend/package.json': pkg({ react: '19' }),
      'frontend/tsconfig.json': '{}',
      'frontend/Dockerfile': 'FROM scratch\n',
      'backend/requirements.txt': 'fastapi\n',
      'backend/Dockerfile': 'FROM scratch\n',
      'api-gateway/go.mod': 'module gw\n',
      'api-gateway/Dockerfile': 'FROM scratch\n',
      'docs/README.md': 'docs',
    });
    expect(result.buildType).toBe('mono');
    expect(result.typescript).toBe(true);
    expect(result.subprojects).toEqual([
      {
        name: 'api-gateway',
        path: 'api-gateway',
        dockerfilePath: 'api-gateway/Dockerfile',
        language: 'Go',
        framework: null,
      },
      {
        name: 'backend',
        path: 'backend',
        dockerfilePath: 'backend/Dockerfile',
        language: 'Python',
        framework: 'FastAPI',
      },
      {
        name: 'frontend',
        path: 'frontend',
        dockerfilePath: 'frontend/Dockerfile',
        language: 'Node.js',
        framework: 'React',
      },
    ]);
  });

  it('reads pnpm workspaces with Turborepo, including members without a Dockerfile', async () => {
    const result = await detect({
      'package.json': JSON.stringify({ private: true, devDependencies: { turbo: '2' } }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "packages/*"\n',
      'pnpm-lock.yaml': '',
      'turbo.json': '{}',
      'apps/web/package.json': pkg({ next: '15' }),
      'apps/web/Dockerfile': 'FROM scratch\n',
      'apps/api/package.json': pkg({ '@nestjs/core': '10' }),
      'apps/api/Dockerfile': 'FROM scratch\n',
      'packages/ui/package.json': pkg({ react: '19' }),
    });
    expect(result).toMatchObject({ buildType: 'mono', language: 'Node.js', packageManager: 'pnpm' });
    expect(result.subprojects.map((s) => [s.path, s.dockerfilePath, s.framework])).toEqual([
      ['apps/api', 'apps/api/Dockerfile', 'NestJS'],
      ['apps/web', 'apps/web/Dockerfile', 'Next.js'],
      ['packages/ui', null, 'React'],
    ]);
  });

  it.each([
    ['npm workspaces', { 'package.json': JSON.stringify({ workspaces: ['services/*'] }) }],
    [
      'yarn workspaces object',
      { 'package.json': JSON.stringify({ workspaces: { packages: ['services/*'] } }), 'yarn.lock': '' },
    ],
    ['Nx project.json', { 'nx.json': '{}', 'services/a/project.json': '{}', 'services/b/project.json': '{}' }],
    [
      'Maven modules',
      { 'pom.xml': '<project><modules><module>services/a</module><module>services/b</module></modules></project>' },
    ],
    ['go.work', { 'go.work': 'go 1.22\n\nuse (\n\t./services/a\n\t./services/b\n)\n' }],
  ])('reads %s', async (_name, manifest) => {
    const member = (dir: string) => ({
      [`services/${dir}/package.json`]: pkg({ express: '5' }),
      [`services/${dir}/go.mod`]: `module ${dir}\n`,
      [`services/${dir}/pom.xml`]: '<project/>',
    });
    const result = await detect({ ...manifest, ...member('a'), ...member('b') });
    expect(result.buildType).toBe('mono');
    expect(result.subprojects.map((s) => s.path)).toEqual(['services/a', 'services/b']);
  });

  it('names sub-projects that share a folder name by their path', async () => {
    const result = await detect({
      'go.work': 'use ./svc/api\nuse ./tools/api\n',
      'svc/api/go.mod': 'module a\n',
      'tools/api/go.mod': 'module b\n',
    });
    expect(result.subprojects.map((s) => s.name)).toEqual(['svc-api', 'tools-api']);
  });
});

describe('detectProject: symlinks', () => {
  it('ignores files that symlink outside the repository but follows ones inside it', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'kiln-detect-outside-'));
    roots.push(outside);
    await writeFile(path.join(outside, 'package.json'), pkg({ next: '15' }));
    const root = await mkdtemp(path.join(tmpdir(), 'kiln-detect-'));
    roots.push(root);
    await symlink(path.join(outside, 'package.json'), path.join(root, 'package.json'));
    await mkdir(path.join(root, 'docker'));
    await writeFile(path.join(root, 'docker', 'app.Dockerfile'), 'FROM scratch\n');
    await symlink('docker/app.Dockerfile', path.join(root, 'Dockerfile'));
    expect(await detectProject(root)).toMatchObject({ language: null, framework: null, dockerfilePath: 'Dockerfile' });
  });
});
