import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LogStore } from './logs';
import { mountVolumes, resolveEnv } from './pod-environment';
import type { ContainerSpec, PodSpec } from './pod-status';
import { PodStatusWriter, timestamp } from './pod-status';
import type { KubeObject, ObjectStore, StoreEvent } from './store';

/** How a test wants the next matching pod to go wrong; `run` is a normal life. */
export type PodScenario =
  | { kind: 'run' }
  | { kind: 'unschedulable'; message?: string }
  | { kind: 'imagePullBackOff' }
  | { kind: 'oomKilled' }
  /** The main containers never finish on their own (until the deadline or a delete). */
  | { kind: 'hang' };

/** What a container runtime gets: the spec with mounts resolved to host directories. */
export interface ContainerRun {
  pod: KubeObject;
  container: ContainerSpec;
  /** mountPath → host directory. */
  mounts: Map<string, string>;
  /** The container's env, secretKeyRefs resolved and mount paths mapped to host paths. */
  env: Record<string, string>;
  log(chunk: string): void;
  signal: AbortSignal;
}

/** Runs one kind of container (a shell script, buildctl); returns the exit code. */
export interface ContainerRuntime {
  matches(container: ContainerSpec): boolean;
  run(run: ContainerRun): Promise<number>;
}

/** A long-running server process: stays up until the pod is deleted. */
const serveForever: ContainerRuntime = {
  matches: () => true,
  run: ({ signal }) => waitForAbort(signal).then(() => 137),
};

/** Decides whether an image can be pulled for a pod; a string is the pull error. */
export type ImagePuller = (pod: KubeObject, image: string) => Promise<string | undefined>;

/**
 * A simulated kubelet on one node: schedules every new pod, pulls its images, runs init containers in order and
 * then the main containers through pluggable runtimes, reports phases and container states like the real one,
 * enforces activeDeadlineSeconds and stops pods marked for deletion before removing them.
 */
export class FakeKubelet {
  readonly runtimes: ContainerRuntime[] = [];
  puller: ImagePuller = async () => undefined;
  /** Time between pull attempts of an image that failed to pull. */
  pullBackoffMs = 200;
  private readonly plans: { scenario: PodScenario; match: (pod: KubeObject) => boolean }[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly finished = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly logs: LogStore,
  ) {
    store.on('change', (event) => this.onChange(event));
  }

  /** The next pod `match` accepts (default: any) follows `scenario`. */
  plan(scenario: PodScenario, match: (pod: KubeObject) => boolean = () => true): void {
    this.plans.push({ scenario, match });
  }

  /** Forgets plans no pod has used (so one test's leftovers cannot leak into the next). */
  clearPlans(): void {
    this.plans.length = 0;
  }

  /** Resolves when every pod the kubelet started has stopped. */
  async idle(): Promise<void> {
    await Promise.all(this.finished.values());
  }

  private onChange(event: StoreEvent): void {
    if (event.resource !== 'pods') return;
    const key = `${event.namespace}/${event.object.metadata.name}`;
    if (event.type === 'ADDED') {
      const controller = new AbortController();
      this.running.set(key, controller);
      const scenario = this.takePlan(event.object);
      const done = this.runPod(event.object, scenario, controller.signal).catch(() => undefined);
      this.finished.set(key, done);
    } else if (event.type === 'MODIFIED' && event.object.metadata.deletionTimestamp) {
      const controller = this.running.get(key);
      if (!controller || controller.signal.aborted) return;
      controller.abort();
      void (this.finished.get(key) ?? Promise.resolve()).then(() => {
        this.running.delete(key);
        this.finished.delete(key);
        this.logs.forget(event.namespace, event.object.metadata.name);
        this.store.remove('pods', event.namespace, event.object.metadata.name);
      });
    }
  }

  private takePlan(pod: KubeObject): PodScenario {
    const index = this.plans.findIndex((p) => p.match(pod));
    if (index < 0) return { kind: 'run' };
    return this.plans.splice(index, 1)[0]!.scenario;
  }

  private async runPod(pod: KubeObject, scenario: PodScenario, signal: AbortSignal): Promise<void> {
    const namespace = pod.metadata.namespace ?? '';
    const status = new PodStatusWriter(this.store, namespace, pod.metadata.name);
    const spec = pod.spec as PodSpec;
    await tick();
    if (signal.aborted) return;
    if (scenario.kind === 'unschedulable') {
      const message =
        scenario.message ??
        '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
      status.condition('PodScheduled', 'False', 'Unschedulable', message);
      return;
    }
    status.patch((s) => Object.assign(s, { startTime: timestamp(), hostIP: '10.0.0.10', podIP: '10.244.0.15' }));
    status.condition('PodScheduled', 'True');
    this.patchNodeName(namespace, pod.metadata.name);
    const deadline = new AbortController();
    const timer = spec.activeDeadlineSeconds
      ? setTimeout(() => deadline.abort(), spec.activeDeadlineSeconds * 1000)
      : undefined;
    const stop = AbortSignal.any([signal, deadline.signal]);
    const workdir = await mkdtemp(path.join(tmpdir(), 'kiln-fake-pod-'));
    try {
      const outcome = await this.runContainers(pod, spec, scenario, status, workdir, stop);
      if (deadline.signal.aborted && !signal.aborted) {
        status.phase('Failed', {
          reason: 'DeadlineExceeded',
          message: 'Pod was active on the node longer than the specified deadline',
        });
      } else if (outcome !== 'stopped' && outcome !== 'waiting') {
        status.phase(outcome === 0 ? 'Succeeded' : 'Failed');
      }
    } finally {
      clearTimeout(timer);
      await rm(workdir, { recursive: true, force: true });
    }
  }

  private patchNodeName(namespace: string, name: string): void {
    const pod = this.store.get('pods', namespace, name);
    if (pod)
      this.store.update('pods', namespace, { ...pod, spec: { ...(pod.spec as object), nodeName: 'fake-node-1' } });
  }

  /** Returns the pod's combined exit code, or `waiting` when it got stuck (pull/mount) and `stopped` on abort. */
  private async runContainers(
    pod: KubeObject,
    spec: PodSpec,
    scenario: PodScenario,
    status: PodStatusWriter,
    workdir: string,
    stop: AbortSignal,
  ): Promise<number | 'waiting' | 'stopped'> {
    for (const c of spec.initContainers ?? []) status.container(c, true, { waiting: { reason: 'PodInitializing' } });
    for (const c of spec.containers) status.container(c, false, { waiting: { reason: 'PodInitializing' } });
    // Like the kubelet, keep retrying a failed pull (with back-off) until it works or the pod goes away.
    let reported = '';
    for (
      let failure = await this.pullImages(pod, spec, scenario);
      failure;
      failure = await this.pullImages(pod, spec, scenario)
    ) {
      const [container, message] = failure;
      const init = spec.initContainers?.includes(container) ?? false;
      if (reported !== message) status.container(container, init, { waiting: { reason: 'ImagePullBackOff', message } });
      reported = message;
      await sleepUnlessAborted(this.pullBackoffMs, stop);
      if (stop.aborted) return 'waiting';
    }
    // A Secret the pod mounts may be created after the pod: the kubelet keeps retrying the mount.
    let volumes = await mountVolumes(this.store, pod, spec, workdir);
    for (
      let reported = false;
      typeof volumes === 'string';
      volumes = await mountVolumes(this.store, pod, spec, workdir)
    ) {
      if (!reported) {
        for (const c of spec.containers)
          status.container(c, false, { waiting: { reason: 'ContainerCreating', message: volumes } });
      }
      reported = true;
      await sleepUnlessAborted(50, stop);
      if (stop.aborted) return 'waiting';
    }
    for (const container of spec.initContainers ?? []) {
      const code = await this.runContainer(pod, container, true, volumes, status, stop, scenario);
      if (stop.aborted) return 'stopped';
      if (code !== 0) return code;
    }
    status.phase('Running');
    const codes = await Promise.all(
      spec.containers.map((c) => this.runContainer(pod, c, false, volumes, status, stop, scenario)),
    );
    if (stop.aborted && !codes.every((code) => code === 0)) return 'stopped';
    return codes.find((code) => code !== 0) ?? 0;
  }

  private async pullImages(
    pod: KubeObject,
    spec: PodSpec,
    scenario: PodScenario,
  ): Promise<[ContainerSpec, string] | undefined> {
    const all = [...(spec.initContainers ?? []), ...spec.containers];
    if (scenario.kind === 'imagePullBackOff') return [all[0]!, `Back-off pulling image "${all[0]!.image}"`];
    for (const container of all) {
      const problem = await this.puller(pod, container.image);
      if (problem) return [container, `Back-off pulling image "${container.image}": ${problem}`];
    }
    return undefined;
  }

  private async runContainer(
    pod: KubeObject,
    container: ContainerSpec,
    init: boolean,
    volumes: Map<string, string>,
    status: PodStatusWriter,
    stop: AbortSignal,
    scenario: PodScenario,
  ): Promise<number> {
    const namespace = pod.metadata.namespace ?? '';
    const mounts = new Map((container.volumeMounts ?? []).map((m) => [m.mountPath, volumes.get(m.name) ?? '']));
    const env = resolveEnv(this.store, pod, container, mounts);
    this.logs.open(namespace, pod.metadata.name, container.name);
    const startedAt = timestamp();
    status.container(container, init, { running: { startedAt } }, !init);
    if (!init) status.condition('Ready', 'True');
    let output = '';
    const log = (chunk: string) => {
      output += chunk;
      this.logs.append(namespace, pod.metadata.name, container.name, chunk);
    };
    let code: number;
    let reason: string;
    if (!init && scenario.kind === 'oomKilled') {
      log('#1 [internal] load build definition from Dockerfile\n');
      await tick();
      [code, reason] = [137, 'OOMKilled'];
    } else if (!init && scenario.kind === 'hang') {
      code = await serveForever.run({ pod, container, mounts, env, log, signal: stop });
      reason = 'Error';
    } else {
      const runtime = this.runtimes.find((r) => r.matches(container)) ?? serveForever;
      code = await runtime.run({ pod, container, mounts, env, log, signal: stop }).catch((err: Error) => {
        log(`${err.message}\n`);
        return 1;
      });
      reason = code === 0 ? 'Completed' : 'Error';
    }
    this.logs.close(namespace, pod.metadata.name, container.name);
    const message =
      code !== 0 && container.terminationMessagePolicy === 'FallbackToLogsOnError' ? tail(output) : undefined;
    status.container(container, init, {
      terminated: { exitCode: code, reason, startedAt, finishedAt: timestamp(), ...(message ? { message } : {}) },
    });
    return code;
  }
}

/** The kubelet's FallbackToLogsOnError: the last 80 lines, at most 2048 bytes. */
function tail(output: string): string {
  return output.split('\n').slice(-80).join('\n').slice(-2048);
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind either way. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
