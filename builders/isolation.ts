import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createBuildCgroup, cgroupLayout } from './build-cgroup';
import { buildNetwork, installBuildFirewall, requiredCniPlugins, writeBuildNetworkConfig } from './build-network';
import type { BuildResources } from '../domain/build-profile';
import { BuildErrorType, buildFailure } from '../domain/build-error';

const exec = promisify(execFile);

/** `oci`: every RUN step in its own namespaces, cgroup and firewalled network; `chroot`: trusted code only. */
export type LocalIsolationMode = 'oci' | 'chroot';

/** What one build runs with: the extra `buildah bud` flags and the build's cgroup. */
export interface BuildIsolation {
  budArgs: string[];
  /** True when the build's cgroup saw an out-of-memory kill (always false without isolation). */
  outOfMemory(): Promise<boolean>;
  dispose(): Promise<void>;
}

/** The isolation a local builder ended up with after checking the machine. */
export type IsolationStatus =
  | { mode: 'oci'; prepare(buildId: string, resources: BuildResources): Promise<BuildIsolation> }
  | { mode: 'chroot'; prepare(buildId: string, resources: BuildResources): Promise<BuildIsolation> }
  | { mode: 'unavailable'; missing: string[]; message: string };

/** How the local builder isolates a build: the mode, its CNI state folder, the OCI runtime and the pid limit. */
export interface IsolationOptions {
  mode: LocalIsolationMode;
  /** Kiln-owned folder for the build network's CNI configuration. */
  stateDir: string;
  /** OCI runtime binary (default `runc`). */
  runtime?: string;
  cniPluginDir?: string;
  /** Processes and threads one build may have at once (default 8192). */
  pidsLimit?: number;
}

/** Everything the chroot mode adds to `buildah bud`: nothing but the isolation type (no cgroup, no network). */
const chrootIsolation: BuildIsolation = {
  budArgs: ['--isolation', 'chroot'],
  outOfMemory: async () => false,
  dispose: async () => undefined,
};

/**
 * Checks the machine and installs the build network (once per worker). In `oci` mode a missing piece does not
 * quietly fall back to chroot: the status is `unavailable` and every build is refused naming what is missing.
 */
export async function setUpIsolation(options: IsolationOptions): Promise<IsolationStatus> {
  if (options.mode === 'chroot') return { mode: 'chroot', prepare: async () => chrootIsolation };
  const runtime = options.runtime ?? 'runc';
  const pluginDir = options.cniPluginDir ?? '/usr/lib/cni';
  const configDir = path.join(options.stateDir, 'cni');
  const missing: string[] = [];
  if (!(await runs(runtime, ['--version']))) missing.push(`the OCI runtime ${runtime} (package runc)`);
  for (const plugin of requiredCniPlugins) {
    if (!(await exists(path.join(pluginDir, plugin)))) {
      missing.push(`the CNI plugin ${path.join(pluginDir, plugin)} (package containernetworking-plugins)`);
    }
  }
  for (const tool of ['iptables-restore', 'ip6tables-restore']) {
    if (!(await runs(tool, ['--version']))) missing.push(`${tool} (package iptables)`);
  }
  const layout = await cgroupLayout();
  if ('missing' in layout) missing.push(layout.missing);
  if (missing.length === 0) {
    try {
      await writeBuildNetworkConfig(configDir);
      await installBuildFirewall();
    } catch (error) {
      missing.push(`the build network's firewall rules (${(error as Error).message})`);
    }
  }
  if (missing.length > 0 || 'missing' in layout) return unavailable(missing);
  const pids = options.pidsLimit ?? 8192;
  return {
    mode: 'oci',
    async prepare(buildId, resources) {
      const name = `${buildId.replace(/[^\w-]/g, '_').slice(0, 64)}-${randomBytes(4).toString('hex')}`;
      const cgroup = await createBuildCgroup(layout.version, name, { ...resources, pids });
      const budArgs = [...ociIsolationArgs(runtime, configDir, pluginDir), '--cgroup-parent', cgroup.parent];
      return { budArgs, outOfMemory: () => cgroup.outOfMemory(), dispose: () => cgroup.dispose() };
    },
  };
}

/** The namespace and network flags of an isolated `buildah bud` (benchmarks run buildah by hand with them). */
export function ociIsolationArgs(runtime: string, configDir: string, pluginDir = '/usr/lib/cni'): string[] {
  return [
    ['--isolation', 'oci', '--runtime', runtime],
    ['--pid', 'private', '--ipc', 'private', '--uts', 'private', '--cgroupns', 'private'],
    ['--network', buildNetwork.name, '--cni-config-dir', configDir, '--cni-plugin-path', pluginDir],
  ].flat();
}

function unavailable(missing: string[]) {
  const message = `Isolated builds are not available on this worker: missing ${missing.join('; ')}. Install them (apt-get install runc containernetworking-plugins iptables), or set KILN_LOCAL_ISOLATION=chroot on the worker to build trusted code only, without isolation.`;
  return { mode: 'unavailable' as const, missing, message };
}

/** The failure every build gets on a worker whose isolation could not be set up. */
export function isolationUnavailableFailure(message: string) {
  return buildFailure(BuildErrorType.ConfigurationError, message);
}

/** The "Build ran out of memory" failure, worded as the Kubernetes builder words an OOMKilled build pod. */
export function outOfMemoryFailure({ memoryMiB, profile }: BuildResources) {
  return buildFailure(
    BuildErrorType.BuildOutOfMemory,
    `Build ran out of memory: a RUN step was killed at the build's ${memoryMiB} MiB limit (profile ${profile}); try a larger build profile.`,
  );
}

async function runs(command: string, args: string[]): Promise<boolean> {
  return exec(command, args).then(
    () => true,
    () => false,
  );
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
