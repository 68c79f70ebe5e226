import { choosePort, copyFiles, has, present, type Draft, type TemplateInput } from './common';
import { DockerfileText, isSafePath, startCommand } from './text';
import type { ProjectFacts } from './types';

interface Installer {
  lock: string;
  /** Installs every dependency exactly as locked. */
  install: string;
  /** Leaves only production dependencies in node_modules. */
  prune: string;
  run: string;
}

const npmFlags = '--no-audit --no-fund';

function installer(facts: ProjectFacts): Installer {
  switch (facts.packageManager) {
    case 'pnpm':
      return {
        lock: 'pnpm-lock.yaml',
        install: 'pnpm install --frozen-lockfile',
        prune: 'pnpm prune --prod',
        run: 'pnpm run',
      };
    case 'bun':
      return {
        lock: has(facts, 'bun.lock') ? 'bun.lock' : 'bun.lockb',
        install: 'bun install --frozen-lockfile',
        prune: 'rm -rf node_modules && bun install --frozen-lockfile --production',
        run: 'bun run',
      };
    case 'yarn':
      return facts.yarnBerry
        ? {
            lock: 'yarn.lock',
            install: 'yarn install --immutable',
            prune: 'yarn workspaces focus --all --production',
            run: 'yarn run',
          }
        : {
            lock: 'yarn.lock',
            install: 'yarn install --frozen-lockfile',
            prune: 'yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline',
            run: 'yarn run',
          };
    default:
      return {
        lock: 'package-lock.json',
        install: `npm ci ${npmFlags}`,
        prune: `npm prune --omit=dev ${npmFlags}`,
        run: 'npm run',
      };
  }
}

const staticFrameworks = new Set(['React', 'Vue', 'Angular', 'Svelte']);
const serverDependencies = ['express', 'fastify', 'koa', 'hono', '@nestjs/core', 'next', 'nuxt', '@sveltejs/kit'];

/** True for a frontend whose build output is plain files (Vite, Create React App, Vue CLI …), served by nginx. */
export function isStaticFrontend(facts: ProjectFacts): boolean {
  if (facts.scripts.build == null) return false;
  if (facts.dependencies.some((dep) => serverDependencies.includes(dep))) return false;
  return staticFrameworks.has(facts.framework ?? '') || facts.dependencies.includes('vite');
}

/** The stage that installs exactly what the lock file says and builds; shared by servers and static frontends. */
function buildStage(input: TemplateInput, out: Draft, withPrune: boolean): Installer {
  const { facts, image } = input;
  const pm = installer(facts);
  const bun = facts.packageManager === 'bun';
  out.text.add(`FROM ${image(bun ? 'bun' : 'node')} AS build`).add('WORKDIR /app');
  if (facts.packageManager === 'pnpm' || facts.packageManager === 'yarn') out.text.add('RUN corepack enable');
  const manifests = present(facts, ['package.json', pm.lock, '.npmrc', '.yarnrc.yml']);
  out.text.add(copyFiles(manifests));
  if (has(facts, pm.lock)) {
    out.text.add(`RUN ${pm.install}`);
    out.reasons.push(`Install: ${pm.install}, because ${pm.lock} is committed (exactly the locked versions).`);
  } else {
    const loose =
      facts.packageManager === 'npm' || facts.packageManager == null
        ? `npm install ${npmFlags}`
        : `${facts.packageManager} install`;
    out.text.add(`RUN ${loose}`);
    out.reasons.push(
      `Install: ${loose}: no ${pm.lock} in this folder, so versions are not pinned. Commit the lock file for reproducible builds.`,
    );
  }
  out.text.add('COPY . .');
  if (facts.scripts.build != null) {
    out.text.add(`RUN ${pm.run} build`);
    out.reasons.push(`Build: ${pm.run} build, from package.json scripts.build.`);
  }
  if (withPrune && has(facts, pm.lock)) out.text.add(`RUN ${pm.prune}`);
  return pm;
}

/** Node.js servers (Express, NestJS, Next.js, Nuxt …): build stage, then a runtime stage as the image's `node` user. */
export function nodeServer(input: TemplateInput): Draft {
  const { facts, image } = input;
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [],
    ignore: ['node_modules', 'npm-debug.log*', '.next', '.nuxt', '.output', 'dist', 'coverage'],
  };
  out.reasons.push(
    `Detected ${facts.framework ?? 'a Node.js project'} with ${facts.packageManager ?? 'npm'}: a build stage with every dependency, a runtime stage with production ones only.`,
  );
  buildStage(input, out, true);
  const bun = facts.packageManager === 'bun';
  const user = bun ? 'bun' : 'node';
  const port = choosePort(facts, 3000, `${facts.framework ?? 'Node.js'}'s usual default`, out.reasons);
  out.text
    .blank()
    .add(`FROM ${image(bun ? 'bun' : 'node')}`)
    .add('WORKDIR /app')
    .add(`ENV NODE_ENV=production PORT=${port} HOST=0.0.0.0 PATH=/app/node_modules/.bin:$PATH`)
    .add(`COPY --from=build --chown=${user}:${user} /app /app`)
    .add(`USER ${user}`)
    .add(`EXPOSE ${port}`);
  out.reasons.push(`User: ${user}, the unprivileged user the ${bun ? 'oven/bun' : 'node'} image ships.`);
  out.text.cmd(nodeStart(facts, out.reasons));
  return out;
}

function nodeStart(facts: ProjectFacts, reasons: string[]): string[] {
  if (facts.procfileWeb) {
    reasons.push('Start: the web process of the Procfile.');
    return startCommand(facts.procfileWeb);
  }
  for (const script of facts.framework === 'NestJS' ? ['start:prod', 'start'] : ['start']) {
    const command = facts.scripts[script];
    if (command && command.trim() !== '') {
      reasons.push(`Start: package.json scripts.${script}, run directly (no package manager as PID 1).`);
      return startCommand(command);
    }
  }
  const defaults: Record<string, string[]> = {
    'Next.js': ['next', 'start'],
    NestJS: ['node', 'dist/main'],
    Nuxt: ['node', '.output/server/index.mjs'],
  };
  const framework = defaults[facts.framework ?? ''];
  if (framework) {
    reasons.push(`Start: ${framework.join(' ')}, ${facts.framework}'s default (package.json has no start script).`);
    return framework;
  }
  const main = facts.files.find((file) => ['server.js', 'index.js', 'app.js', 'main.js'].includes(file));
  reasons.push(`Start: node ${main ?? 'index.js'} (package.json has no start script; add one to choose).`);
  return ['node', main ?? 'index.js'];
}

/** Vite, React, Vue, Angular, Svelte static builds: build with Node, serve the output with nginx as its own user. */
export function nodeStaticFrontend(input: TemplateInput): Draft {
  const { facts } = input;
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [],
    ignore: ['node_modules', 'dist', 'build', 'coverage', 'npm-debug.log*'],
  };
  out.reasons.push(
    `Detected a ${facts.framework ?? 'Vite'} frontend without a server: it is built to static files and served by nginx; Node.js is not in the final image.`,
  );
  buildStage(input, out, false);
  const output = facts.dependencies.includes('react-scripts') ? 'build' : 'dist';
  out.reasons.push(
    `Output: /app/${output}, where ${output === 'build' ? 'Create React App' : 'Vite and most bundlers'} write the build.`,
  );
  out.text.blank();
  nginxStage(input, out, `--from=build /app/${output}`);
  return out;
}

/** The nginx runtime stage shared by static sites: port 8080, pid and caches writable, runs as `nginx`. */
export function nginxStage(input: TemplateInput, out: Draft, source: string): void {
  const port = 8080;
  if (!isSafePath(source.replace(/^--from=build \//, '')) && source !== '.')
    throw new Error(`unsafe static source ${source}`);
  out.text
    .add(`FROM ${input.image('nginx')}`)
    .add(`COPY ${source} /usr/share/nginx/html`)
    .add(
      "RUN printf 'server {\\n  listen 8080;\\n  root /usr/share/nginx/html;\\n  location / { try_files $uri $uri/ /index.html; }\\n}\\n' > /etc/nginx/conf.d/default.conf \\",
    )
    .add("  && sed -i -e 's#^pid .*#pid /tmp/nginx.pid;#' -e '/^user /d' /etc/nginx/nginx.conf \\")
    .add('  && chown -R nginx:nginx /var/cache/nginx /usr/share/nginx/html')
    .add('USER nginx')
    .add(`EXPOSE ${port}`)
    .cmd(['nginx', '-g', 'daemon off;']);
  out.reasons.push('Port: 8080, so nginx can listen without root.');
  out.reasons.push('User: nginx, the unprivileged user of the nginx image (its pid file moved to /tmp).');
  out.reasons.push('Start: nginx -g "daemon off;", nginx in the foreground.');
}
