import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBuildLogLines } from '../../db/build-logs';
import { ensureChildBuild, updateBuildProgress } from '../../db/builds';
import { builds } from '../../db/schema';
import { createOrgWithMember, createTestApi, expectStatus, type KilnClient, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
let api: TestApi;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let other: Awaited<ReturnType<typeof createOrgWithMember>>;
let member: KilnClient;
let outsider: KilnClient;
let serviceId: string;
let bareServiceId: string;

type TriggerInput = { branch?: string; sha?: string };
const trigger = (json: TriggerInput = {}, id = serviceId) =>
  member.services[':id'].builds.$post({ param: { id }, json });
/** Triggers a build and expects it started. */
const started = (json: TriggerInput = {}) => expectStatus(trigger(json), 201);

beforeAll(async () => {
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client });
  org = await createOrgWithMember(api, 'builders');
  other = await createOrgWithMember(api, 'outsiders');
  member = api.client(org.token);
  outsider = api.client(other.token);
  const registry = await expectStatus(
    api.client(org.adminToken).registries.$post({
      json: { name: 'r', kind: 'oci', url: '127.0.0.1:5000', project: 'p', username: 'u', password: 'p' },
    }),
    201,
  );
  const svc = { gitProvider: 'gitlab' as const, repoUrl: 'https://gitlab.example.com/b/api.git' };
  serviceId = (
    await expectStatus(member.services.$post({ json: { ...svc, name: 'api', registryId: registry.id } }), 201)
  ).id;
  bareServiceId = (
    await expectStatus(
      member.services.$post({ json: { ...svc, name: 'bare', repoUrl: 'https://gitlab.example.com/b/bare.git' } }),
      201,
    )
  ).id;
});
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
});

describe('builds API', () => {
  it('triggers a build of main by default and starts its workflow', async () => {
    const build = await started();
    expect(build).toMatchObject({
      branch: 'main',
      ref: 'refs/heads/main',
      trigger: 'api',
      event: 'manual',
      status: 'Pending',
      serviceName: 'api',
    });
    expect(build.workflowId).toBe(`build-${build.id}`);
    const described = await temporal.client.workflow.getHandle(build.workflowId).describe();
    expect(described.type).toBe('buildWorkflow');
    const explicit = await started({ branch: 'develop' });
    expect(explicit.branch).toBe('develop');
    await expectStatus(trigger({ branch: 'bad name' }), 400);
    const noRegistry = await expectStatus(trigger({}, bareServiceId), 409);
    expect(noRegistry.message).toMatch(/registry/);
    await expectStatus(outsider.services[':id'].builds.$post({ param: { id: serviceId }, json: {} }), 404);
  });

  it('lists builds newest first with filters and pages, per organization', async () => {
    for (const branch of ['a', 'b', 'a']) await started({ branch });
    const list = (query: { pageSize?: number; page?: number }) =>
      expectStatus(member.services[':id'].builds.$get({ param: { id: serviceId }, query }), 200);
    const all = await list({ pageSize: 2 });
    expect(all.total).toBeGreaterThanOrEqual(5);
    expect(all.items).toHaveLength(2);
    expect(all.items[0]!.branch).toBe('a');
    const page2 = await list({ pageSize: 2, page: 2 });
    expect(page2.items[0]!.id).not.toBe(all.items[0]!.id);
    const onlyA = await expectStatus(member.builds.$get({ query: { branch: 'a', status: 'Pending' } }), 200);
    expect(onlyA.items.map((b) => b.branch)).toEqual(['a', 'a']);
    expect((await expectStatus(outsider.builds.$get({ query: {} }), 200)).total).toBe(0);
    // Raw: a status the typed client would not let through.
    expect((await api.request('GET', '/builds?status=Nope', { token: org.token })).status).toBe(400);
  });

  it('shows a build with its sub-project builds, hidden from other organizations', async () => {
    const parent = await started();
    const [row] = await api.db.select().from(builds).where(eq(builds.id, parent.id));
    await ensureChildBuild(api.db, row!, 'frontend');
    const param = { id: parent.id };
    const detail = await expectStatus(member.builds[':id'].$get({ param }), 200);
    expect(detail.children.map((c) => c.subproject)).toEqual(['frontend']);
    await expectStatus(outsider.builds[':id'].$get({ param }), 404);
  });

  it('cancels a running build by signalling its workflow; a finished one cannot be cancelled', async () => {
    const build = await started();
    const param = { id: build.id };
    await expectStatus(member.builds[':id'].cancel.$post({ param, json: {} }), 202);
    const history = await temporal.client.workflow.getHandle(build.workflowId).fetchHistory();
    const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals[0]!.workflowExecutionSignaledEventAttributes!.signalName).toBe('cancelBuild');
    await updateBuildProgress(api.db, build.id, { status: 'Cancelled', finishedAt: new Date() });
    await expectStatus(member.builds[':id'].cancel.$post({ param, json: {} }), 409);
    await expectStatus(outsider.builds[':id'].cancel.$post({ param, json: {} }), 404);
  });

  it('retries a failed build with the same ref and commit as a new build', async () => {
    const build = await started({ branch: 'release', sha: 'd'.repeat(40) });
    const param = { id: build.id };
    await expectStatus(member.builds[':id'].retry.$post({ param }), 409);
    await updateBuildProgress(api.db, build.id, { status: 'Failed', error: 'boom', finishedAt: new Date() });
    const retry = await expectStatus(member.builds[':id'].retry.$post({ param }), 201);
    expect(retry).toMatchObject({
      trigger: 'retry',
      ref: 'refs/heads/release',
      sha: 'd'.repeat(40),
      status: 'Pending',
      error: null,
      retryOfBuildId: build.id,
    });
    expect(retry.id).not.toBe(build.id);
    await temporal.client.workflow.getHandle(retry.workflowId).describe();
  });
});

describe('build logs', () => {
  it('pages log lines by seq and filters them by search text', async () => {
    const build = await started();
    const at = new Date();
    await appendBuildLogLines(api.db, build.id, [
      { seq: 1000, stream: 'stdout', text: 'Cloning', at },
      { seq: 1001, stream: 'stderr', text: 'warning: deprecated', at },
      { seq: 1002, stream: 'stdout', text: 'Done', at },
    ]);
    const param = { id: build.id };
    const logs = (query: { limit?: number; afterSeq?: number; search?: string }) =>
      expectStatus(member.builds[':id'].logs.$get({ param, query }), 200);
    const first = await logs({ limit: 2 });
    expect(first.lines.map((l) => l.text)).toEqual([expect.stringMatching(/^Triggered manually/), 'Cloning']);
    expect(first.hasMore).toBe(true);
    const next = await logs({ afterSeq: first.nextAfterSeq });
    expect(next.lines.map((l) => l.seq)).toEqual([1001, 1002]);
    const search = await logs({ search: 'WARN' });
    expect(search.lines).toEqual([expect.objectContaining({ stream: 'stderr', text: 'warning: deprecated' })]);
    await expectStatus(outsider.builds[':id'].logs.$get({ param, query: {} }), 404);
  });

  it('streams lines live over SSE, including lines written by another process, and ends with the build', async () => {
    const build = await started();
    const res = await api.app.request(`/api/v1/builds/${build.id}/logs/stream`, {
      headers: { authorization: `Bearer ${org.token}` },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = readEvents(res.body!);
    expect((await events.next('log')).text).toMatch(/^Triggered manually/);
    await appendBuildLogLines(api.db, build.id, [{ seq: 1000, stream: 'stdout', text: 'live line', at: new Date() }]);
    expect((await events.next('log')).text).toBe('live line');
    // A worker in another process writes through its own connection: no in-process notification.
    const outside = postgres(api.url, { max: 1 });
    await outside`insert into build_log_lines (build_id, seq, stream, text, at) values (${build.id}, 1001, 'stdout', 'from worker', now())`;
    await outside.end();
    expect((await events.next('log')).text).toBe('from worker');
    await updateBuildProgress(api.db, build.id, {
      status: 'Succeeded',
      step: 'Done',
      percent: 100,
      finishedAt: new Date(),
    });
    expect(await events.next('end')).toEqual({ status: 'Succeeded' });
    await events.close();
  });
});

function readEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: { event: string; data: string }[] = [];
  const pull = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += decoder.decode(value, { stream: true });
    let index;
    while ((index = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const event = /^event: (.*)$/m.exec(chunk)?.[1];
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (event && data !== undefined) queue.push({ event, data });
    }
  };
  return {
    async next(type: string) {
      for (;;) {
        const index = queue.findIndex((e) => e.event === type);
        if (index >= 0) return JSON.parse(queue.splice(0, index + 1).at(-1)!.data);
        await pull();
      }
    },
    close: () => reader.cancel(),
  };
}
