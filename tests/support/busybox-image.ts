/**
 * A busybox base image for buildah tests, since no registry outside this machine is reachable:
 * `FROM scratch`, COPY /bin/busybox, install its applets, push to the test registry. Cached per storage root
 * and registry, so suites sharing a storage root build it once.
 *
 *   const base = await ensureBusyboxImage({ storageRoot, registry: registry.auth });
 *   // Dockerfile: `FROM ${base}` then ordinary `RUN echo hi`
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildahStorageArgs, writeAuthFile } from '../../builders/buildah';
import type { RegistryAuth } from '../../clients/registry';

const exec = promisify(execFile);
const cache = new Map<string, Promise<string>>();

/** Builds and pushes `<registry>/<repository>` (default `base/busybox:1`) once; returns its reference. */
export function ensureBusyboxImage(options: {
  storageRoot: string;
  registry: RegistryAuth;
  repository?: string;
}): Promise<string> {
  const ref = `${options.registry.host}/${options.repository ?? 'base/busybox:1'}`;
  const key = `${options.storageRoot}|${ref}`;
  let image = cache.get(key);
  if (!image) {
    image = buildBusybox(options.storageRoot, options.registry, ref);
    cache.set(key, image);
    image.catch(() => cache.delete(key));
  }
  return image;
}

async function buildBusybox(storageRoot: string, registry: RegistryAuth, ref: string): Promise<string> {
  const context = await mkdtemp(path.join(tmpdir(), 'kiln-busybox-'));
  const auth = await writeAuthFile(registry);
  try {
    await copyFile('/bin/busybox', path.join(context, 'busybox'));
    await writeFile(
      path.join(context, 'Dockerfile'),
      'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n',
    );
    const storage = buildahStorageArgs(storageRoot);
    const tls = registry.insecure ? ['--tls-verify=false'] : [];
    await exec('buildah', [...storage, 'bud', '--isolation', 'chroot', '--layers', '--quiet', '-t', ref, context]);
    await exec('buildah', [...storage, 'push', '--quiet', '--authfile', auth.path, ...tls, ref, `docker://${ref}`]);
    return ref;
  } finally {
    await auth.dispose();
    await rm(context, { recursive: true, force: true });
  }
}

/** True when buildah, docker-registry, htpasswd and a static busybox are installed (the suite needs them). */
export async function buildToolsAvailable(): Promise<boolean> {
  const checks = [
    exec('buildah', ['--version']),
    exec('docker-registry', ['--version']),
    exec('htpasswd', ['-h']).catch((e: { stderr?: string }) =>
      e.stderr?.includes('Usage') ? null : Promise.reject(e),
    ),
    exec('/bin/busybox', ['true']),
  ];
  return (await Promise.allSettled(checks)).every((check) => check.status === 'fulfilled');
}
