/** Small repositories, one per ecosystem the Build Wizard knows, as file maps. */
export type FileMap = Record<string, string>;

const pkg = (value: object) => JSON.stringify(value, null, 2);
const npmLock = pkg({ name: 'app', lockfileVersion: 3, requires: true, packages: { '': { name: 'app' } } });

export interface EcosystemCase {
  name: string;
  files: FileMap;
  /** Sub-project to generate for, if not the root. */
  path?: string;
  install: string;
  cmd: string[];
  port: number;
  user: string;
  /** FROM lines expected (without the prefix), in order. */
  from: string[];
}

export const ecosystems: EcosystemCase[] = [
  {
    name: 'Node npm Express',
    files: {
      'package.json': pkg({ name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }),
      'package-lock.json': npmLock,
      'server.js': "require('express')().listen(process.env.PORT || 4100);",
    },
    install: 'npm ci',
    cmd: ['node', 'server.js'],
    port: 4100,
    user: 'node',
    from: ['node:24-slim', 'node:24-slim'],
  },
  {
    name: 'Node yarn classic NestJS',
    files: {
      'package.json': pkg({
        name: 'api',
        scripts: { build: 'nest build', start: 'nest start', 'start:prod': 'node dist/main' },
        dependencies: { '@nestjs/core': '^10' },
      }),
      'yarn.lock': '# yarn lockfile v1\n',
      'tsconfig.json': '{}',
    },
    install: 'yarn install --frozen-lockfile',
    cmd: ['node', 'dist/main'],
    port: 3000,
    user: 'node',
    from: ['node:24-slim', 'node:24-slim'],
  },
  {
    name: 'Node yarn berry Express',
    files: {
      'package.json': pkg({
        name: 'app',
        packageManager: 'yarn@4.5.0',
        scripts: { start: 'node index.js' },
        dependencies: { express: '^4' },
      }),
      'yarn.lock': '__metadata:\n  version: 8\n',
      '.yarnrc.yml': 'nodeLinker: node-modules\n',
    },
    install: 'yarn install --immutable',
    cmd: ['node', 'index.js'],
    port: 3000,
    user: 'node',
    from: ['node:24-slim', 'node:24-slim'],
  },
  {
    name: 'Node pnpm Next.js',
    files: {
      'package.json': pkg({
        name: 'web',
        scripts: { build: 'next build', start: 'next start' },
        dependencies: { next: '15', react: '19' },
      }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    },
    install: 'pnpm install --frozen-lockfile',
    cmd: ['next', 'start'],
    port: 3000,
    user: 'node',
    from: ['node:24-slim', 'node:24-slim'],
  },
  {
    name: 'Node bun Hono',
    files: {
      'package.json': pkg({
        name: 'edge',
        scripts: { start: 'bun run src/index.ts --port 8787' },
        dependencies: { hono: '4' },
      }),
      'bun.lock': '{}',
    },
    install: 'bun install --frozen-lockfile',
    cmd: ['bun', 'run', 'src/index.ts', '--port', '8787'],
    port: 8787,
    user: 'bun',
    from: ['oven/bun:1', 'oven/bun:1'],
  },
  {
    name: 'Vite React static build',
    files: {
      'package.json': pkg({
        name: 'spa',
        scripts: { build: 'vite build', dev: 'vite' },
        dependencies: { react: '19' },
        devDependencies: { vite: '6' },
      }),
      'package-lock.json': npmLock,
      'index.html': '<div id="root"></div>',
    },
    install: 'npm ci',
    cmd: ['nginx', '-g', 'daemon off;'],
    port: 8080,
    user: 'nginx',
    from: ['node:24-slim', 'nginx:1'],
  },
  {
    name: 'Vue static build',
    files: {
      'package.json': pkg({
        name: 'vue-app',
        scripts: { build: 'vite build' },
        dependencies: { vue: '3' },
        devDependencies: { vite: '6' },
      }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    },
    install: 'pnpm install --frozen-lockfile',
    cmd: ['nginx', '-g', 'daemon off;'],
    port: 8080,
    user: 'nginx',
    from: ['node:24-slim', 'nginx:1'],
  },
  {
    name: 'Python pip Flask',
    files: {
      'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    },
    install: 'pip install --no-cache-dir -r requirements.txt',
    cmd: ['gunicorn', 'app:app', '--bind', '0.0.0.0:8000'],
    port: 8000,
    user: 'app',
    from: ['python:3.13-slim', 'python:3.13-slim'],
  },
  {
    name: 'Python poetry Django',
    files: {
      'pyproject.toml': '[tool.poetry]\nname = "site"\n[tool.poetry.dependencies]\ndjango = "^5"\ngunicorn = "^22"\n',
      'poetry.lock': '# lock\n',
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    },
    install: 'poetry install --no-root --only main',
    cmd: ['gunicorn', 'mysite.wsgi:application', '--bind', '0.0.0.0:8000'],
    port: 8000,
    user: 'app',
    from: ['python:3.13-slim', 'python:3.13-slim'],
  },
  {
    name: 'Python uv FastAPI',
    files: {
      'pyproject.toml': '[project]\nname = "svc"\ndependencies = ["fastapi[standard]"]\n[tool.uv]\n',
      'uv.lock': 'version = 1\n',
      'app/main.py': 'from fastapi import FastAPI\napi = FastAPI()\n',
    },
    install: 'uv sync --frozen',
    cmd: ['uvicorn', 'app.main:api', '--host', '0.0.0.0', '--port', '8000'],
    port: 8000,
    user: 'app',
    from: ['python:3.13-slim', 'python:3.13-slim'],
  },
  {
    name: 'Go module',
    files: {
      'go.mod': 'module example.com/svc\n\ngo 1.23\n\nrequire github.com/gin-gonic/gin v1.10.0\n',
      'go.sum': '',
      'cmd/server/main.go': 'package main\n\nfunc main() { r.Run(":9090") }\n',
    },
    install: 'go mod download',
    cmd: ['/app'],
    port: 9090,
    user: '65532:65532',
    from: ['golang:1', 'scratch'],
  },
  {
    name: 'Java Maven Spring Boot',
    files: {
      'pom.xml': '<project><parent><groupId>org.springframework.boot</groupId></parent></project>',
      'src/main/resources/application.properties': 'server.port=8181\n',
    },
    install: 'mvn -B dependency:go-offline',
    cmd: ['java', '-jar', '/app/app.jar'],
    port: 8181,
    user: 'app',
    from: ['maven:3-eclipse-temurin-21', 'eclipse-temurin:21-jre'],
  },
  {
    name: 'Java Gradle Spring Boot',
    files: {
      'build.gradle': "plugins { id 'org.springframework.boot' version '3.3.0' }\n",
      gradlew: '#!/bin/sh\n',
    },
    install: './gradlew --no-daemon bootJar',
    cmd: ['java', '-jar', '/app/app.jar'],
    port: 8080,
    user: 'app',
    from: ['gradle:8-jdk21', 'eclipse-temurin:21-jre'],
  },
  {
    name: 'Ruby Rails',
    files: { Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.2'\n", 'Gemfile.lock': 'GEM\n' },
    install: 'BUNDLE_FROZEN=1 BUNDLE_WITHOUT=development:test',
    cmd: ['bundle', 'exec', 'rails', 'server', '-b', '0.0.0.0', '-p', '3000'],
    port: 3000,
    user: 'rails',
    from: ['ruby:3-slim', 'ruby:3-slim'],
  },
  {
    name: 'PHP Laravel',
    files: { 'composer.json': pkg({ require: { 'laravel/framework': '^11' } }), 'composer.lock': '{}', artisan: '' },
    install: 'composer install --no-dev',
    cmd: ['apache2-foreground'],
    port: 8080,
    user: 'www-data',
    from: ['composer:2', 'php:8-apache'],
  },
  {
    name: 'Rust Axum',
    files: {
      'Cargo.toml': '[package]\nname = "shop-api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n',
      'Cargo.lock': '',
    },
    install: 'cargo build --release --locked',
    cmd: ['/usr/local/bin/app'],
    port: 8080,
    user: 'app',
    from: ['rust:1', 'debian:12-slim'],
  },
  {
    name: '.NET ASP.NET Core',
    files: { 'Shop.Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>' },
    install: 'dotnet restore Shop.Api.csproj',
    cmd: ['dotnet', 'Shop.Api.dll'],
    port: 8080,
    user: 'app',
    from: ['mcr.microsoft.com/dotnet/sdk:9.0', 'mcr.microsoft.com/dotnet/aspnet:9.0'],
  },
  {
    name: 'Static site',
    files: { 'index.html': '<h1>hello</h1>', 'style.css': 'h1{}' },
    install: '',
    cmd: ['nginx', '-g', 'daemon off;'],
    port: 8080,
    user: 'nginx',
    from: ['nginx:1'],
  },
  {
    name: 'Monorepo sub-project (Procfile)',
    path: 'services/worker',
    files: {
      'package.json': pkg({ name: 'mono', private: true, workspaces: ['services/*'] }),
      'services/api/package.json': pkg({ name: 'api', scripts: { start: 'node api.js' } }),
      'services/worker/requirements.txt': 'celery\n',
      'services/worker/Procfile': 'web: celery -A tasks worker --loglevel=info\n',
    },
    install: '-r requirements.txt',
    cmd: ['celery', '-A', 'tasks', 'worker', '--loglevel=info'],
    port: 8000,
    user: 'app',
    from: ['python:3.13-slim', 'python:3.13-slim'],
  },
];
