/**
 * Stand-ins for the official `node:24-slim` and `nginx:1` images, built from this machine's own binaries (no
 * registry outside is reachable): busybox, plus the running `node` with its shared libraries and npm, or a
 * `nginx` that is busybox httpd. Pushed under `<registry>/base/`, so the Build Wizard's base-image prefix
 * `<registry>/base/` makes generated Dockerfiles pull them.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildahStorageArgs, writeAuthFile } from '../../builders/buildah';
import type { RegistryAuth } from '../../clients/registry';

const exec = promisify(execFile);
const passwd =
  'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnginx:x:101:101:nginx:/var/cache/nginx:/bin/false\n';
const group = 'root:x:0:\nnode:x:1000:\nnginx:x:101:\n';

/** Builds and pushes `<registry>/base/node:24-slim` and `<registry>/base/nginx:1` FROM the busybox base image. */
export async function pushStandInImages(storageRoot: string, registry: RegistryAuth, busybox: string): Promise<void> {
  await build(storageRoot, registry, `${registry.host}/base/node:24-slim`, async (dir) => {
    await cp(process.execPath, path.join(dir, 'node'));
    const { stdout } = await exec('ldd', [process.execPath]);
    const libs = [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!);
    await mkdir(path.join(dir, 'libs'));
    for (const lib of new Set(libs)) await cp(lib, path.join(dir, 'libs', path.basename(lib)), { dereference: true });
    await cp('/usr/lib/node_modules/npm', path.join(dir, 'npm'), { recursive: true, dereference: true });
    await writeFile(
      path.join(dir, 'npm.sh'),
      '#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"\n',
      { mode: 0o755 },
    );
    return [
      'COPY libs/ /lib/x86_64-linux-gnu/',
      'RUN mkdir -p /lib64 && cp /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /lib64/',
      'COPY node /usr/local/bin/node',
      'COPY npm /usr/local/lib/node_modules/npm',
      'COPY npm.sh /usr/local/bin/npm',
      'RUN mkdir -p /home/node && chown 1000:1000 /home/node',
      'ENV PATH=/usr/local/bin:/bin NPM_CONFIG_UPDATE_NOTIFIER=false',
    ];
  });
  await build(storageRoot, registry, `${registry.host}/base/nginx:1`, async (dir) => {
    await writeFile(path.join(dir, 'nginx'), '#!/bin/sh\nexec httpd -f -p 8080 -h /usr/share/nginx/html\n', {
      mode: 0o755,
    });
    await writeFile(path.join(dir, 'nginx.conf'), 'user  nginx;\npid        /var/run/nginx.pid;\n');
    return [
      'COPY nginx /usr/sbin/nginx',
      'COPY nginx.conf /etc/nginx/nginx.conf',
      'RUN mkdir -p /etc/nginx/conf.d /var/cache/nginx /usr/share/nginx/html',
      'ENV PATH=/usr/sbin:/bin',
    ];
  });

  async function build(root: string, auth: RegistryAuth, ref: string, prepare: (dir: string) => Promise<string[]>) {
    const context = await mkdtemp(path.join(tmpdir(), 'kiln-standin-'));
    const authFile = await writeAuthFile(auth);
    try {
      await writeFile(path.join(context, 'passwd'), passwd);
      await writeFile(path.join(context, 'group'), group);
      const steps = await prepare(context);
      const dockerfile = [`FROM ${busybox}`, 'COPY passwd group /etc/', ...steps].join('\n');
      await writeFile(path.join(context, 'Dockerfile'), `${dockerfile}\n`);
      const storage = buildahStorageArgs(root);
      const tls = auth.insecure ? ['--tls-verify=false'] : [];
      await exec(
        'buildah',
        [
          ...storage,
          'bud',
          '--isolation',
          'chroot',
          ...tls,
          '--authfile',
          authFile.path,
          '--quiet',
          '-t',
          ref,
          context,
        ],
        { maxBuffer: 1 << 26 },
      );
      await exec('buildah', [
        ...storage,
        'push',
        '--quiet',
        '--authfile',
        authFile.path,
        ...tls,
        ref,
        `docker://${ref}`,
      ]);
    } finally {
      await authFile.dispose();
      await rm(context, { recursive: true, force: true });
    }
  }
}

/** Lists files of `image` (as present in the store) by mounting a working container; removes it afterwards. */
export async function filesInImage(
  store: string,
  image: string,
  files: string[],
): Promise<Record<string, string | null>> {
  const storage = buildahStorageArgs(store);
  const { stdout: container } = await exec('buildah', [...storage, 'from', '--pull-never', image]);
  try {
    const { stdout: mount } = await exec('buildah', [...storage, 'mount', container.trim()]);
    const result: Record<string, string | null> = {};
    const { readFile } = await import('node:fs/promises');
    for (const file of files) result[file] = await readFile(path.join(mount.trim(), file), 'utf8').catch(() => null);
    return result;
  } finally {
    await exec('buildah', [...storage, 'rm', container.trim()]);
  }
}

/** The image's config (User, Cmd, ExposedPorts) as buildah reports it. */
export async function imageConfig(store: string, image: string) {
  const { stdout } = await exec('buildah', [...buildahStorageArgs(store), 'inspect', '--type', 'image', image]);
  const info = JSON.parse(stdout) as {
    OCIv1: { config: { User?: string; Cmd?: string[]; ExposedPorts?: Record<string, unknown> } };
  };
  return info.OCIv1.config;
}
