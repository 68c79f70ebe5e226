// Shared setup for pipeline tests: a git server, an authenticated registry with a busybox base, and one Kiln service.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { bundleKilnWorkflows } from '../../worker/bundle';
import { ensureBusyboxImage } from '../support/busybox-image';
import { startGitServer } from '../support/git-server';
import type { GitServer } from '../support/git-server';
import { startTestKiln } from '../support/kiln';
import type { KilnOverrides, TestKiln } from '../support/kiln';
import { startRegistry } from '../support/registry';
import { replayWorkflow } from '../support/temporal';
import type { TestRegistry } from '../support/registry';
import { gitlabHeaders, gitlabPush } from '../support/webhook-payloads';

export const gitToken = 'glpat-kiln-e2e-secret-token';
export const registryPassword = 'registry-e2e-password-42';

export interface PipelineWorld {
  git: GitServer;
  registry: TestRegistry;
  /** `<registry>/base/busybox:1`, for Dockerfiles that RUN. */
  busybox: string;
  stop(): Promise<void>;
}

/** Starts the git server and registry and pushes the busybox base once. */
export async function startPipelineWorld(): Promise<PipelineWorld> {
  const git = await startGitServer({ username: 'oauth2', password: gitToken });
  const registry = await startRegistry({ username: 'kiln', password: registryPassword });
  const storage = await mkdtemp(path.join(tmpdir(), 'kiln-base-'));
  const busybox = await ensureBusyboxImage({ storageRoot: storage, registry: registry.auth });
  return {
    git,
    registry,
    busybox,
    async stop() {
      await git.stop();
      await registry.stop();
      await rm(storage, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** A test file's git server, registry and Kiln, started before its tests and stopped after them. */
export interface KilnWorld {
  world: PipelineWorld;
  kiln: TestKiln;
}

/** Registers beforeAll/afterAll hooks that start and stop a whole Kiln with its git server and registry. */
export function useKilnWorld(overrides: KilnOverrides = {}): KilnWorld {
  const env = {} as KilnWorld;
  beforeAll(async () => {
    env.world = await startPipelineWorld();
    env.kiln = await startTestKiln(overrides);
  }, 180_000);
  afterAll(async () => {
    await env.kiln?.stop();
    await env.world?.stop();
  });
  return env;
}

export interface RegisteredService {
  id: string;
  name: string;
  secret: string;
  project: { id: number; path: string };
}

/**
 * Registers the org's GitLab token, the registry and a service for `repoName` with Auto CI on. `registryId`
 * picks another registry than the first one (created with the right password when there is none).
 */
export async function registerService(
  kiln: TestKiln,
  world: PipelineWorld,
  repoName: string,
  autoCi: Record<string, unknown> = {},
  options: { registryId?: string } = {},
): Promise<RegisteredService> {
  const { status: providerStatus } = await kiln.api('POST', '/git-providers', {
    kind: 'gitlab',
    baseUrl: world.git.baseUrl,
    token: gitToken,
    // The test git server speaks git over HTTP only, not the GitLab API the token check calls.
    verify: false,
  });
  expect([201, 409]).toContain(providerStatus);
  const registries = await kiln.api('GET', '/registries');
  const registry =
    registries.body.items?.[0] ??
    (
      await kiln.api('POST', '/registries', {
        name: 'local',
        kind: 'oci',
        url: `http://${world.registry.host}`,
        project: 'team',
        username: 'kiln',
        password: registryPassword,
        insecure: true,
      })
    ).body;
  const projectId = 1000 + Math.floor(Math.random() * 100000);
  const created = await kiln.api('POST', '/services', {
    name: repoName,
    gitProvider: 'gitlab',
    repoUrl: `${world.git.baseUrl}/${repoName}.git`,
    projectPath: `team/${repoName}`,
    projectId,
    registryId: options.registryId ?? registry.id,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const saved = await kiln.api('PUT', `/services/${created.body.id}/auto-ci`, {
    enabled: true,
    branchFilter: ['main'],
    ...autoCi,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const webhook = await kiln.api('GET', `/services/${created.body.id}/webhook`);
  return {
    id: created.body.id,
    name: repoName,
    secret: webhook.body.secretToken,
    project: { id: projectId, path: `team/${repoName}` },
  };
}

/**
 * Sends GitLab's Push Hook for `sha` on main and returns the started build's id. `modified` lists the paths the
 * pushed commit changed, as GitLab does per commit.
 */
export async function pushWebhook(
  kiln: TestKiln,
  service: RegisteredService,
  sha: string,
  options: { message?: string; ref?: string; modified?: string[] } = {},
): Promise<string> {
  const payload = gitlabPush(service.project, { after: sha, message: options.message, ref: options.ref });
  const commits = payload.commits.map((commit) => ({
    ...commit,
    added: [],
    modified: commit.id === sha ? (options.modified ?? []) : [],
    removed: [],
  }));
  const body = JSON.stringify(options.modified ? { ...payload, commits } : payload);
  const response = await kiln.deliver('gitlab', body, {
    'content-type': 'application/json',
    ...gitlabHeaders('Push Hook', service.secret),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const buildId = response.body.builds?.[0]?.buildId;
  expect(buildId, JSON.stringify(response.body)).toBeTruthy();
  return buildId;
}

/** The manifest digest the registry itself reports for `repository:tag`. */
export async function registryDigest(world: PipelineWorld, repository: string, tag: string): Promise<string | null> {
  const auth = Buffer.from(`kiln:${registryPassword}`).toString('base64');
  const response = await fetch(`http://${world.registry.host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      authorization: `Basic ${auth}`,
      accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return response.ok ? response.headers.get('docker-content-digest') : null;
}

/** The text of every line of a build's log, in order. */
export async function buildLog(kiln: TestKiln, buildId: string): Promise<string[]> {
  const logs = await kiln.api('GET', `/builds/${buildId}/logs?pageSize=1000`);
  const lines: { text: string }[] = logs.body.items ?? logs.body.lines ?? [];
  return lines.map((line) => line.text);
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) expect.fail(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Pids of running processes whose command line contains every one of `parts` (e.g. a build id). */
export async function processesMatching(...parts: string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const text = cmdline.split('\0').join(' ');
    if (text && parts.every((part) => text.includes(part))) found.push(Number(entry));
  }
  return found;
}

/** Replays the history of every build this Kiln ran (children included) against today's workflow code. */
export async function replayEveryBuild(kiln: TestKiln): Promise<number> {
  const { body } = await kiln.api('GET', '/builds?includeChildren=true&pageSize=100');
  const workflowIds: string[] = body.items.map((build: { workflowId: string }) => build.workflowId);
  expect(workflowIds.length).toBeGreaterThan(0);
  const workflowBundle = await bundleKilnWorkflows();
  const client = await kiln.temporal();
  for (const workflowId of workflowIds) await replayWorkflow(client, { workflowBundle }, workflowId);
  return workflowIds.length;
}
