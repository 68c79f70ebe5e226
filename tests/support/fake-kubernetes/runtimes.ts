import { spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildahStorageArgs } from '../../../builders/buildah';
import type { ContainerRun, ContainerRuntime } from './kubelet';

/** Runs a command on this machine, streaming output into the container log; the abort signal kills it. */
function execute(command: string, args: string[], run: ContainerRun, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => run.log(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => run.log(chunk.toString('utf8')));
    const kill = () => child.kill('SIGKILL');
    if (run.signal.aborted) kill();
    else run.signal.addEventListener('abort', kill, { once: true });
    child.on('error', (err) => {
      run.log(`${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code) => {
      run.signal.removeEventListener('abort', kill);
      resolve(code ?? 137);
    });
  });
}

/**
 * `sh -c <script>` containers (Kiln's git init container) run for real on this machine. Paths reach the script
 * only through env values, which the kubelet has already mapped from mount paths to host directories.
 */
export const shellRuntime: ContainerRuntime = {
  matches: (c) => c.command?.[0] === 'sh' || c.command?.[0] === '/bin/sh',
  async run(run) {
    const home = await mkdtemp(path.join(tmpdir(), 'kiln-fake-home-'));
    const [, ...args] = [...(run.container.command ?? []), ...(run.container.args ?? [])];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...run.env };
    try {
      return await execute('sh', args, run, env);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
};

/** Splits BuildKit's CSV option values, honouring double quotes (`type=image,"name=a,b",push=true`). */
export function parseCsv(value: string): Map<string, string> {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += char;
  }
  fields.push(current);
  return new Map(fields.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
}

/** What a `buildctl build` command line asks for. */
export interface BuildctlInvocation {
  locals: Map<string, string>;
  opts: Map<string, string>;
  output: Map<string, string>;
  exportCache?: Map<string, string>;
  importCache?: Map<string, string>;
  /** `--secret id=NAME,src=PATH` (BuildKit build secrets), in order. */
  secrets: Map<string, string>[];
}

export function parseBuildctlArgs(args: string[]): BuildctlInvocation {
  const locals = new Map<string, string>();
  const opts = new Map<string, string>();
  let output = new Map<string, string>();
  const parsed: BuildctlInvocation = { locals, opts, output, secrets: [] };
  for (let i = 1; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1] ?? '';
    const pair = () => [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)] as const;
    if (flag === '--local') locals.set(...pair());
    else if (flag === '--opt') opts.set(...pair());
    else if (flag === '--output') output = parsed.output = parseCsv(value);
    else if (flag === '--export-cache') parsed.exportCache = parseCsv(value);
    else if (flag === '--import-cache') parsed.importCache = parseCsv(value);
    else if (flag === '--secret') parsed.secrets.push(parseCsv(value));
    else continue;
    i += 1;
  }
  return parsed;
}

/**
 * `buildctl-daemonless.sh build …` (rootless BuildKit) emulated with buildah: the same Dockerfile, build args
 * and output names, pushed with the mounted docker config to the real registry. Errors BuildKit would print
 * before building (a missing Dockerfile) are printed in BuildKit's words.
 */
export function buildctlRuntime(storageRoot: string): ContainerRuntime {
  return {
    matches: (c) => (c.command ?? []).some((part) => part.endsWith('buildctl-daemonless.sh')),
    async run(run) {
      const invocation = parseBuildctlArgs(run.container.args ?? []);
      const hostPath = (p: string) => {
        for (const [mountPath, host] of run.mounts)
          if (p === mountPath || p.startsWith(`${mountPath}/`)) return host + p.slice(mountPath.length);
        return p;
      };
      const context = hostPath(invocation.locals.get('context') ?? '');
      const filename = invocation.opts.get('filename') ?? 'Dockerfile';
      const dockerfile = path.join(hostPath(invocation.locals.get('dockerfile') ?? ''), filename);
      if (
        !(await access(dockerfile).then(
          () => true,
          () => false,
        ))
      ) {
        run.log(`error: failed to solve: failed to read dockerfile: open ${filename}: no such file or directory\n`);
        return 1;
      }
      // BuildKit's Dockerfile frontend prefers `<Dockerfile>.dockerignore` beside the Dockerfile to the context's.
      const ignorefile = `${dockerfile}.dockerignore`;
      const ignore = (await access(ignorefile).then(
        () => true,
        () => false,
      ))
        ? ['--ignorefile', ignorefile]
        : [];
      const names = (invocation.output.get('name') ?? '').split(',').filter(Boolean);
      const insecure = invocation.output.get('registry.insecure') === 'true';
      const authfile = path.join(run.env.DOCKER_CONFIG ?? '', 'config.json');
      const storage = buildahStorageArgs(storageRoot);
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: storageRoot,
        TMPDIR: storageRoot,
        BUILDAH_ISOLATION: 'chroot',
      };
      const buildArgs = [...invocation.opts]
        .filter(([k]) => k.startsWith('build-arg:'))
        .flatMap(([k, v]) => ['--build-arg', `${k.slice(10)}=${v}`]);
      // BuildKit reads a build secret from a file in the container; buildah takes the same form with the host path.
      const secrets = invocation.secrets.flatMap((secret) => [
        '--secret',
        `id=${secret.get('id') ?? ''},src=${hostPath(secret.get('src') ?? '')}`,
      ]);
      // Registry cache is emulated: buildah's local layer cache stands in for the import, the export pushes the
      // image under the cache ref so the ref exists in the registry as it would after BuildKit.
      const cacheRef = invocation.exportCache?.get('ref');
      if (invocation.importCache)
        run.log(`#0 importing cache manifest from ${invocation.importCache.get('ref')} (emulated)\n`);
      const tags = names.flatMap((name) => ['--tag', name]);
      const built = await execute(
        'buildah',
        [
          ...storage,
          'build',
          '--isolation',
          'chroot',
          '--layers',
          '-f',
          dockerfile,
          ...ignore,
          ...buildArgs,
          ...secrets,
          ...tags,
          context,
        ],
        run,
        env,
      );
      if (built !== 0 || invocation.output.get('push') !== 'true') return built;
      for (const name of names) {
        run.log(`#9 pushing ${name}\n`);
        const pushArgs = [
          ...storage,
          'push',
          '--authfile',
          authfile,
          `--tls-verify=${String(!insecure)}`,
          name,
          `docker://${name}`,
        ];
        const pushed = await execute('buildah', pushArgs, run, env);
        if (pushed !== 0) return pushed;
      }
      if (!cacheRef) return 0;
      run.log(`#10 exporting cache to ${cacheRef} (emulated)\n`);
      const cacheArgs = [
        ...storage,
        'push',
        '--authfile',
        authfile,
        `--tls-verify=${String(!insecure)}`,
        names[0] ?? '',
        `docker://${cacheRef}`,
      ];
      return execute('buildah', cacheArgs, run, env);
    },
  };
}
