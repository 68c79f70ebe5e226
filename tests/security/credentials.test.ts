// Credentials bound to their hosts (issue 10, item 2), as an attacker would probe them: a member's repository on
// a host they control, a .gitmodules URL on another host, a redirect away from the real host, a registry whose
// URL was changed. A catcher server records every Authorization header it is sent; it must record none.
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloneActivities } from '../../activities/clone';
import { cloneContainer } from '../../builders/buildkit/build-containers';
import { createSourceActivities } from '../../activities/source';
import { checkRegistryLogin } from '../../clients/registry';
import { loadBuildForWorkflow } from '../../db/builds';
import { readBuildLogLines } from '../../db/build-logs';
import { autoCiSettings, builds, registries } from '../../db/schema';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { startCredentialCatcher, type CredentialCatcher } from '../support/credential-catcher';
import { startGitServer, type GitServer } from '../support/git-server';

const token = 'glpat-org-token-must-not-leak-7f3a';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** Authorization headers the catcher received after its `seen`-th request (each test looks at its own only). */
const authorizationsSince = (catcher: CredentialCatcher, seen: number) =>
  catcher.requests.slice(seen).flatMap((r) => (r.authorization == null ? [] : [r.authorization]));

let git: GitServer;
let catcher: CredentialCatcher;
let root: string;
let app: { url: string; sha: string };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kiln-credentials-'));
  [git, catcher] = await Promise.all([
    startGitServer({ username: 'oauth2', password: token }),
    startCredentialCatcher(),
  ]);
  app = await git.createRepository('app', { Dockerfile: 'FROM scratch\n' });
});
afterAll(async () => {
  await Promise.all([git?.stop(), catcher?.stop()]);
  await rm(root, { recursive: true, force: true });
});

const clone = () => createCloneActivities({ workspaceRoot: path.join(root, 'ws') });
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error as Error,
  );

describe('git credentials go to their own origin only', () => {
  it('the repository host still gets the token: a clone with it works', async () => {
    const before = git.requests.length;
    const result = await clone().cloneRepository({
      buildId: `own-${randomUUID()}`,
      repositoryUrl: app.url,
      sha: app.sha,
      ref: 'refs/heads/main',
      token,
    });
    expect(result.sha).toBe(app.sha);
    expect(git.requests.slice(before).map((r) => r.authorization)).toContain(basic('oauth2', token));
  });

  it('a .gitmodules URL on another host (same address, other port) gets no credentials', async () => {
    const withSubmodule = await git.createRepository('with-sub', { Dockerfile: 'FROM scratch\n' });
    const sha = await git.addSubmodule('with-sub', 'lib', `${catcher.baseUrl}/attacker/lib.git`, app.sha);
    const seen = catcher.requests.length;
    const error = await failureOf(
      clone().cloneRepository({
        buildId: `sub-${randomUUID()}`,
        repositoryUrl: withSubmodule.url,
        sha,
        ref: 'refs/heads/main',
        token,
        submodules: true,
      }),
    );
    expect(error.message).toMatch(/^Git clone failed/);
    expect(error.message).not.toContain(token);
    // git did go to the submodule host, anonymously, and gave up when asked for credentials.
    expect(catcher.requests.length).toBeGreaterThan(seen);
    expect(authorizationsSince(catcher, seen)).toEqual([]);
  });

  it('a redirect from the repository host to another host carries no credentials there', async () => {
    const door = await startCredentialCatcher({ redirectTo: catcher.baseUrl, expect: basic('oauth2', token) });
    const seen = catcher.requests.length;
    try {
      const error = await failureOf(
        clone().cloneRepository({
          buildId: `redirect-${randomUUID()}`,
          repositoryUrl: `${door.baseUrl}/team/app.git`,
          sha: app.sha,
          ref: 'refs/heads/main',
          token,
        }),
      );
      expect(error.message).toMatch(/^Git clone failed/);
      // The token went to the host it belongs to, which then sent git elsewhere.
      expect(door.authorizations()).toContain(basic('oauth2', token));
      expect(catcher.requests.slice(seen).some((r) => r.url.startsWith('/team/app.git'))).toBe(true);
      expect(authorizationsSince(catcher, seen)).toEqual([]);
    } finally {
      await door.stop();
    }
  });
});

describe("the Kubernetes builder's clone container binds the token to the repository origin too", () => {
  /** Runs the init container's script as the fake kubelet would: sh, its env, the mounted Secret files. */
  async function runCloneContainer(repositoryUrl: string, sha: string) {
    const dir = await mkdtemp(path.join(root, 'pod-'));
    const [credentials, workspace] = [path.join(dir, 'git'), path.join(dir, 'workspace')];
    await mkdir(credentials);
    await mkdir(workspace);
    await writeFile(path.join(credentials, 'git-username'), 'oauth2');
    await writeFile(path.join(credentials, 'git-token'), token);
    const container = cloneContainer(
      { source: { repositoryUrl, sha }, dockerfilePath: 'Dockerfile', contextPath: '.' } as Parameters<
        typeof cloneContainer
      >[0],
      'git',
    );
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
    const [command, ...args] = container.command!;
    return promisify(execFile)(command!, args, {
      env: {
        PATH: process.env.PATH,
        ...env,
        WORKSPACE: workspace,
        GIT_CREDENTIALS: credentials,
        HOME: dir,
        GIT_CONFIG_NOSYSTEM: '1',
      },
    });
  }

  it('clones from the repository host with the token', async () => {
    const before = git.requests.length;
    await expect(runCloneContainer(app.url, app.sha)).resolves.toMatchObject({
      stdout: expect.stringContaining(`Checked out ${app.sha}`),
    });
    expect(git.requests.slice(before).map((r) => r.authorization)).toContain(basic('oauth2', token));
  });

  it('a redirect to another host gets no credentials', async () => {
    const door = await startCredentialCatcher({ redirectTo: catcher.baseUrl, expect: basic('oauth2', token) });
    const seen = catcher.requests.length;
    try {
      await expect(runCloneContainer(`${door.baseUrl}/team/app.git`, app.sha)).rejects.toThrow();
      expect(door.authorizations()).toContain(basic('oauth2', token));
      expect(catcher.requests.length).toBeGreaterThan(seen);
      expect(authorizationsSince(catcher, seen)).toEqual([]);
    } finally {
      await door.stop();
    }
  });
});

describe('a member cannot point a service at their own host and collect the organization token', () => {
  let api: TestApi;
  let member: Awaited<ReturnType<typeof createOrgWithMember>>;

  beforeAll(async () => {
    api = await createTestApi();
    member = await createOrgWithMember(api, 'acme');
    const provider = await api.request('POST', '/git-providers', {
      body: { organizationId: member.organizationId, kind: 'gitlab', baseUrl: git.baseUrl, token, verify: false },
    });
    expect(provider.status, JSON.stringify(provider.body)).toBe(201);
  });
  afterAll(async () => api?.close());

  async function serviceBuild(repoUrl: string, name: string) {
    const service = await api.request('POST', '/services', {
      token: member.token,
      body: { name, gitProvider: 'gitlab', repoUrl, projectPath: 'team/app' },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const [build] = await api.db
      .insert(builds)
      .values({
        serviceId: service.body.id,
        organizationId: member.organizationId,
        trigger: 'api',
        event: 'push',
        ref: 'refs/heads/main',
        branch: 'main',
        sha: app.sha,
        workflowId: `wf-${randomUUID()}`,
      })
      .returning();
    return { serviceId: service.body.id as string, buildId: build!.id };
  }
  const cloneSource = (buildId: string) =>
    new MockActivityEnvironment().run(() =>
      createSourceActivities({ db: api.db, cipher: api.cipher, workspaceRoot: path.join(root, 'builds') }).cloneSource({
        buildId,
      }),
    );
  const logText = async (buildId: string) =>
    (await readBuildLogLines(api.db, buildId, { afterSeq: 0, limit: 1000 })).map((l) => l.text).join('\n');

  it('a repository on a host without a connection is cloned anonymously, and the log says so', async () => {
    const { buildId } = await serviceBuild(`${catcher.baseUrl}/attacker/app.git`, 'foreign');
    const seen = catcher.requests.length;
    const loaded = await loadBuildForWorkflow(api.db, api.cipher, buildId);
    expect(loaded.git).toBeNull();
    expect(loaded.secrets).not.toContain(token);
    const error = await failureOf(cloneSource(buildId));
    expect(error.message).toMatch(/^Git clone failed: .*Kiln cloned without credentials/);
    expect(catcher.requests.slice(seen).some((r) => r.url.startsWith('/attacker/app.git'))).toBe(true);
    expect(authorizationsSince(catcher, seen)).toEqual([]);
    expect(await logText(buildId)).toContain(`No Git connection for ${catcher.baseUrl}; cloning without credentials.`);
  });

  it('the same host spelled differently (upper case, default port) still gets its token', async () => {
    const url = new URL(app.url);
    const spelled = `http://${url.hostname.toUpperCase().replace('127.0.0.1', 'LOCALHOST')}`;
    // 127.0.0.1 and localhost are different hosts: that spelling must get nothing.
    const other = await serviceBuild(`${spelled}:${url.port}${url.pathname}`, 'localhost-spelling');
    expect((await loadBuildForWorkflow(api.db, api.cipher, other.buildId)).git).toBeNull();
    const same = await serviceBuild(`HTTP://127.0.0.1:${url.port}${url.pathname}`, 'upper-scheme');
    expect((await loadBuildForWorkflow(api.db, api.cipher, same.buildId)).git?.token).toBe(token);
    await expect(cloneSource(same.buildId)).resolves.toMatchObject({ sha: app.sha });
  });

  it('commit statuses and pipelines for the foreign repository answer with a clear message, nothing is sent', async () => {
    const { serviceId } = await serviceBuild(`${catcher.baseUrl}/attacker/pipes.git`, 'foreign-pipelines');
    const seen = catcher.requests.length;
    const pipelines = await api.request('GET', `/services/${serviceId}/pipelines`, { token: member.token });
    expect(pipelines.status).toBe(200);
    expect(pipelines.body).toMatchObject({ linked: false, reason: 'no-token' });
    expect(pipelines.body.message).toContain(`No GitLab token is registered for ${catcher.baseUrl}`);
    const run = await api.request('POST', `/services/${serviceId}/pipelines`, {
      token: member.token,
      body: { ref: 'main' },
    });
    expect(run.status).toBe(409);
    expect(catcher.requests.length).toBe(seen);
  });

  it('a submodule on another host gets no credentials in a real build clone', async () => {
    const withSubmodule = await git.createRepository('build-sub', { Dockerfile: 'FROM scratch\n' });
    const sha = await git.addSubmodule('build-sub', 'vendor', `${catcher.baseUrl}/attacker/vendor.git`, app.sha);
    const { serviceId, buildId } = await serviceBuild(withSubmodule.url, 'submodules');
    await api.db.update(builds).set({ sha }).where(eq(builds.id, buildId));
    await api.db.update(autoCiSettings).set({ submodules: true }).where(eq(autoCiSettings.serviceId, serviceId));
    const before = git.requests.length;
    const seen = catcher.requests.length;
    await expect(cloneSource(buildId)).rejects.toThrow(/^Git clone failed/);
    expect(git.requests.slice(before).map((r) => r.authorization)).toContain(basic('oauth2', token));
    expect(catcher.requests.length).toBeGreaterThan(seen);
    expect(authorizationsSince(catcher, seen)).toEqual([]);
  });
});

describe('a registry whose URL changed has no password until it is entered again', () => {
  let api: TestApi;
  let member: Awaited<ReturnType<typeof createOrgWithMember>>;
  const password = 'registry-password-never-to-a-new-host';

  beforeAll(async () => {
    api = await createTestApi();
    member = await createOrgWithMember(api, 'shop');
  });
  afterAll(async () => api?.close());

  it('PATCH url clears the password; PATCH url with a password keeps the new one', async () => {
    const created = await api.request('POST', '/registries', {
      body: {
        organizationId: member.organizationId,
        name: 'harbor',
        kind: 'oci',
        url: 'registry.acme.dev',
        project: 'team',
        username: 'robot',
        password,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.hasPassword).toBe(true);
    const moved = await api.request('PATCH', `/registries/${created.body.id}`, {
      body: { url: catcher.baseUrl.replace('http://', '') },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.hasPassword).toBe(false);
    expect(JSON.stringify(moved.body)).not.toContain(password);
    const [row] = await api.db.select().from(registries).where(eq(registries.id, created.body.id));
    expect(row!.passwordEnc).toBe('');
    const renamed = await api.request('PATCH', `/registries/${created.body.id}`, { body: { name: 'harbor-2' } });
    expect(renamed.body.hasPassword).toBe(false);
    const again = await api.request('PATCH', `/registries/${created.body.id}`, {
      body: { url: 'registry.acme.dev', password: 'a-new-password' },
    });
    expect(again.body.hasPassword).toBe(true);
    const [after] = await api.db.select().from(registries).where(eq(registries.id, created.body.id));
    expect(api.cipher.decrypt(after!.passwordEnc)).toBe('a-new-password');
  });

  it("the registry client sends the password to the registry's host only, not to where it redirects", async () => {
    const door = await startCredentialCatcher({ redirectTo: catcher.baseUrl, expect: basic('robot', password) });
    const seen = catcher.requests.length;
    try {
      const host = door.baseUrl.replace('http://', '');
      const error = await failureOf(checkRegistryLogin({ host, username: 'robot', password, insecure: true }));
      expect(error.message).toMatch(/^Registry authentication failed/);
      expect(door.authorizations()).toContain(basic('robot', password));
      expect(catcher.requests.length).toBeGreaterThan(seen);
      expect(authorizationsSince(catcher, seen)).toEqual([]);
    } finally {
      await door.stop();
    }
  });

  it('a build of a service on the moved registry stops before sending anything, saying what to do', async () => {
    const registry = await api.request('POST', '/registries', {
      body: {
        organizationId: member.organizationId,
        name: 'moved',
        kind: 'oci',
        url: 'registry.acme.dev',
        project: 'team',
        username: 'robot',
        password,
        insecure: true,
      },
    });
    await api.request('PATCH', `/registries/${registry.body.id}`, {
      body: { url: catcher.baseUrl.replace('http://', '') },
    });
    const service = await api.request('POST', '/services', {
      token: member.token,
      body: {
        name: 'moved-app',
        gitProvider: 'gitlab',
        repoUrl: app.url,
        projectPath: 'team/app',
        registryId: registry.body.id,
      },
    });
    const [build] = await api.db
      .insert(builds)
      .values({
        serviceId: service.body.id,
        organizationId: member.organizationId,
        trigger: 'api',
        event: 'push',
        ref: 'refs/heads/main',
        branch: 'main',
        sha: app.sha,
        workflowId: `wf-${randomUUID()}`,
      })
      .returning();
    const loaded = await loadBuildForWorkflow(api.db, api.cipher, build!.id);
    expect(loaded.registry).toMatchObject({ host: catcher.baseUrl.replace('http://', ''), password: '' });
    expect(loaded.secrets).not.toContain(password);
    const { createImageBuildActivities } = await import('../../activities/image-build');
    const { createLocalBuilder } = await import('../../builders/local');
    const seen = catcher.requests.length;
    const activities = createImageBuildActivities({
      db: api.db,
      cipher: api.cipher,
      driver: createLocalBuilder({ storageRoot: path.join(root, 'buildah') }),
      temporal: api.temporal,
      idleTimeoutMs: 60_000,
    });
    const error = await failureOf(
      new MockActivityEnvironment().run(() =>
        activities.buildImage({
          buildId: build!.id,
          checkoutDir: path.join(root, 'missing'),
          contextPath: '.',
          dockerfilePath: 'Dockerfile',
          resources: { cpu: 1, memoryMiB: 512 },
        } as Parameters<typeof activities.buildImage>[0]),
      ),
    );
    expect(error.message).toBe(
      `Registry authentication failed: registry moved has no password since its URL changed to ${catcher.baseUrl.replace('http://', '')}; enter it again in the registry settings, then retry the build.`,
    );
    expect(catcher.requests.length).toBe(seen);
  });
});

describe('a Git connection whose URL changed has no token until it is entered again', () => {
  let api: TestApi;
  let member: Awaited<ReturnType<typeof createOrgWithMember>>;

  beforeAll(async () => {
    api = await createTestApi();
    member = await createOrgWithMember(api, 'moves');
  });
  afterAll(async () => api?.close());

  it('moving it to another host clears the token without sending the old one there, even to check it', async () => {
    const created = await api.request('POST', '/git-providers', {
      token: member.adminToken,
      body: { kind: 'gitlab', baseUrl: git.baseUrl, token, verify: false },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const seen = catcher.requests.length;
    // verify defaults to true: the check goes to the new address, and must not carry the old token.
    const moved = await api.request('PATCH', `/git-providers/${created.body.id}`, {
      token: member.adminToken,
      body: { baseUrl: catcher.baseUrl },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ baseUrl: catcher.baseUrl, hasToken: false, check: null });
    expect(authorizationsSince(catcher, seen)).toEqual([]);
    const recheck = await api.request('POST', `/provider-checks/${created.body.id}`, { token: member.adminToken });
    expect(recheck.status).toBe(409);
    expect(recheck.body.message).toContain('no token since its URL changed');

    // A build of a repository on the new host clones without credentials and says why.
    const service = await api.request('POST', '/services', {
      token: member.token,
      body: { name: 'moved-repo', gitProvider: 'gitlab', repoUrl: `${catcher.baseUrl}/team/app.git` },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const [build] = await api.db
      .insert(builds)
      .values({
        serviceId: service.body.id,
        organizationId: member.organizationId,
        trigger: 'api',
        event: 'push',
        ref: 'refs/heads/main',
        sha: app.sha,
        workflowId: `wf-${randomUUID()}`,
      })
      .returning();
    const loaded = await loadBuildForWorkflow(api.db, api.cipher, build!.id);
    expect(loaded.git).toBeNull();
    expect(loaded.gitNotice).toContain(`The Git connection for ${catcher.baseUrl} has no token since its URL changed`);
    const pipelines = await api.request('GET', `/services/${service.body.id}/pipelines`, { token: member.token });
    expect(pipelines.body.message).toContain('has no token since its URL changed');

    // Same origin, other path (the API address): the token stays.
    const again = await api.request('PATCH', `/git-providers/${created.body.id}`, {
      token: member.adminToken,
      body: { baseUrl: git.baseUrl, token, verify: false },
    });
    expect(again.body.hasToken).toBe(true);
    const samePlace = await api.request('PATCH', `/git-providers/${created.body.id}`, {
      token: member.adminToken,
      body: { baseUrl: `${git.baseUrl.toUpperCase().replace('HTTP://', 'http://')}/api/v4`, verify: false },
    });
    expect(samePlace.body.hasToken).toBe(true);
  });
});

describe('one Git connection per origin', () => {
  let api: TestApi;
  let member: Awaited<ReturnType<typeof createOrgWithMember>>;
  beforeAll(async () => {
    api = await createTestApi();
    member = await createOrgWithMember(api, 'twice');
  });
  afterAll(async () => api?.close());

  it('a second connection for the same origin is 409, also when spelled differently or moved onto it', async () => {
    const add = (baseUrl: string) =>
      api.request('POST', '/git-providers', {
        token: member.adminToken,
        body: { kind: 'gitlab', baseUrl, token: 'glpat-x', verify: false },
      });
    expect((await add('https://git.acme.dev')).status).toBe(201);
    const again = await add('https://GIT.acme.dev:443/api/v4');
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already has a gitlab connection for https://git.acme.dev');
    const other = await add('https://git.acme.dev:8443');
    expect(other.status).toBe(201);
    const moved = await api.request('PATCH', `/git-providers/${other.body.id}`, {
      token: member.adminToken,
      body: { baseUrl: 'https://git.acme.dev', verify: false },
    });
    expect(moved.status).toBe(409);
    const providers = await api.request('GET', '/git-providers', { token: member.adminToken });
    expect(providers.body.items.map((p: { baseUrl: string }) => p.baseUrl).sort()).toEqual([
      'https://git.acme.dev',
      'https://git.acme.dev:8443',
    ]);
  });
});
