import { access, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What one build may use in total, across all of its RUN steps (they run one after another). */
export interface BuildLimits {
  memoryMiB: number;
  cpu: number;
  /** Processes and threads at once: a fork bomb stops here instead of filling the machine's process table. */
  pids: number;
}

/** The cgroup one build's RUN steps run under, holding the build's limits. */
export interface BuildCgroup {
  /**
   * The path to hand to `buildah bud --cgroup-parent`: a child of the limited cgroup, since buildah runs each step
   * directly in that path and runc removes it when a step fails, which would take the limits and counters along.
   */
  parent: string;
  /** True when the kernel killed a process of this build for exceeding its memory limit. */
  outOfMemory(): Promise<boolean>;
  /** Kills whatever still runs in the build's cgroup and removes it. */
  dispose(): Promise<void>;
}

const cgroupRoot = '/sys/fs/cgroup';
const cpuPeriodUs = 100_000;

/** `v1` (one hierarchy per controller), `v2` (unified), or what is missing for build limits. */
export async function cgroupLayout(): Promise<{ version: 'v1' | 'v2' } | { missing: string }> {
  if (await exists(path.join(cgroupRoot, 'cgroup.controllers'))) {
    const controllers = (await readFile(path.join(cgroupRoot, 'cgroup.controllers'), 'utf8')).split(/\s+/);
    const absent = ['memory', 'cpu', 'pids'].filter((name) => !controllers.includes(name));
    return absent.length === 0 ? { version: 'v2' } : { missing: `cgroup v2 controllers ${absent.join(', ')}` };
  }
  const mounts = await v1Mounts();
  const absent = ['memory', 'cpu', 'pids'].filter((name) => !mounts.has(name));
  return absent.length === 0 ? { version: 'v1' } : { missing: `mounted cgroup controllers ${absent.join(', ')}` };
}

/** Mount point of each cgroup v1 controller (`cpu` and `cpuacct` may share one). */
async function v1Mounts(): Promise<Map<string, string>> {
  const mounts = new Map<string, string>();
  for (const line of (await readFile('/proc/self/mounts', 'utf8')).split('\n')) {
    const [, mountPoint, type, options = ''] = line.split(' ');
    if (type !== 'cgroup' || !mountPoint) continue;
    for (const option of options.split(',')) mounts.set(option, mountPoint);
  }
  return mounts;
}

/**
 * Creates the build's cgroup with its limits. On cgroup v1 it sits below the worker's own memory cgroup, so an
 * operator's limit on the worker also covers its builds. cgroup v1 counts an OOM kill only in the victim's own
 * cgroup (runc's step cgroup, gone with the step), so a v1 build counts as out of memory when its cgroup hit the
 * limit (its high-water mark) and the machine's OOM-kill counter moved during the build. On cgroup v2 (untested here) it sits at
 * `/kiln-builds/<name>` (a cgroup holding processes cannot delegate controllers) and memory.events is hierarchical.
 */
export async function createBuildCgroup(version: 'v1' | 'v2', name: string, limits: BuildLimits): Promise<BuildCgroup> {
  const memory = String(limits.memoryMiB * 1024 * 1024);
  const quota = String(Math.round(limits.cpu * cpuPeriodUs));
  if (version === 'v2') {
    const parent = `/kiln-builds/${name}`;
    const dir = path.join(cgroupRoot, parent);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(cgroupRoot, 'cgroup.subtree_control'), '+memory +cpu +pids');
    await writeFile(path.join(cgroupRoot, 'kiln-builds', 'cgroup.subtree_control'), '+memory +cpu +pids');
    await writeFile(path.join(dir, 'memory.max'), memory);
    await writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => undefined);
    await writeFile(path.join(dir, 'cpu.max'), `${quota} ${cpuPeriodUs}`);
    await writeFile(path.join(dir, 'pids.max'), String(limits.pids));
    return {
      parent: `${parent}/run`,
      outOfMemory: async () => eventCount(path.join(dir, 'memory.events'), 'oom_kill'),
      dispose: () => removeCgroupTree(dir),
    };
  }
  const parent = path.posix.join(await ownCgroup('memory'), 'kiln-builds', name);
  const mounts = await v1Mounts();
  const dir = (controller: string) => path.join(mounts.get(controller) ?? path.join(cgroupRoot, controller), parent);
  for (const controller of ['memory', 'cpu', 'pids']) await mkdir(dir(controller), { recursive: true });
  await writeFile(path.join(dir('memory'), 'memory.limit_in_bytes'), memory);
  // Without swap accounting there is no memsw file; with it, memory + swap gets the same cap (no swapping out).
  await writeFile(path.join(dir('memory'), 'memory.memsw.limit_in_bytes'), memory).catch(() => undefined);
  await writeFile(path.join(dir('cpu'), 'cpu.cfs_period_us'), String(cpuPeriodUs));
  await writeFile(path.join(dir('cpu'), 'cpu.cfs_quota_us'), quota);
  await writeFile(path.join(dir('pids'), 'pids.max'), String(limits.pids));
  const killsBefore = await machineOomKills();
  return {
    parent: `${parent}/run`,
    async outOfMemory() {
      // failcnt stays 0 on recent kernels; the high-water mark shows the cgroup reached its limit.
      const peak = Number(await readFile(path.join(dir('memory'), 'memory.max_usage_in_bytes'), 'utf8').catch(() => 0));
      return peak >= Number(memory) - 4 * 1024 * 1024 && (await machineOomKills()) > killsBefore;
    },
    async dispose() {
      // runc created the parent in every mounted hierarchy; the memory one holds every process of the build.
      await removeCgroupTree(dir('memory'));
      for (const mountPoint of new Set(mounts.values())) await removeCgroupTree(path.join(mountPoint, parent));
    },
  };
}

/** This process's cgroup path in the v1 hierarchy of `controller`. */
async function ownCgroup(controller: string): Promise<string> {
  const lines = (await readFile('/proc/self/cgroup', 'utf8')).split('\n');
  for (const line of lines) {
    const [, controllers = '', cgroupPath = '/'] = line.split(':');
    if (controllers.split(',').includes(controller)) return cgroupPath;
  }
  return '/';
}

/** OOM kills on the whole machine since boot (`/proc/vmstat`). */
async function machineOomKills(): Promise<number> {
  const match = /^oom_kill (\d+)$/m.exec(await readFile('/proc/vmstat', 'utf8').catch(() => ''));
  return Number(match?.[1] ?? 0);
}

async function eventCount(file: string, key: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return match != null && Number(match[1]) > 0;
}

/** SIGKILLs every process left in `dir` and below, then removes the cgroups deepest first. */
async function removeCgroupTree(dir: string): Promise<void> {
  if (!(await exists(dir))) return;
  const deadline = Date.now() + 5000;
  for (;;) {
    const pids = await processesIn(dir);
    if (pids.length === 0 || Date.now() > deadline) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await removeDirs(dir);
}

async function processesIn(dir: string): Promise<number[]> {
  const own = await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
  const pids = own.split('\n').filter(Boolean).map(Number);
  for (const child of await subdirectories(dir)) pids.push(...(await processesIn(child)));
  return pids;
}

async function removeDirs(dir: string): Promise<void> {
  for (const child of await subdirectories(dir)) await removeDirs(child);
  await rmdir(dir).catch(() => undefined);
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(dir, entry.name));
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
