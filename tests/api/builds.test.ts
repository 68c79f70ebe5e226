import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBuildLogLines } from '../../db/build-logs';
import { ensureChildBuild, updateBuildProgress } from '../../db/builds';
import { builds } from '../../db/schema';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
let api: TestApi;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let other: Awaited<ReturnType<typeof createOrgWithMember>>;
let serviceId: string;
let bareServiceId: string;

const trigger = async (body: object = {}, id = serviceId) =>
  api.request('POST', `/services/${id}/builds`, { token: org.token, body });

beforeAll(async () => {
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client });
  org = await createOrgWithMember(api, 'builders');
  other = await createOrgWithMember(api, 'outsiders');
  const registry = await api.request('POST', '/registries', {
    token: org.adminToken,
    body: { name: 'r', kind: 'oci', url: '127.0.0.1:5000', project: 'p', username: 'u', password: 'p' },
  });
  const svc = { gitProvider: 'gitlab', repoUrl: 'https://gitlab.example.com/b/api.git' };
  serviceId = (
    await api.request('POST', '/services', {
      token: org.token,
      body: { ...svc, name: 'api', registryId: registry.body.id },
    })
  ).body.id;
  bareServiceId = (
    await api.request('POST', '/services', {
      token: org.token,
      body: { ...svc, name: 'bare', repoUrl: 'https://gitlab.example.com/b/bare.git' },
    })
  ).body.id;
});
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
});

describe('builds API', () => {
  it('triggers a build of main by default and starts its workflow', async () => {
    const res = await trigger();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      branch: 'main',
      ref: 'refs/heads/main',
      trigger: 'api',
      event: 'manual',
      status: 'Pending',
      serviceName: 'api',
    });
    expect(res.body.workflowId).toBe(`build-${res.body.id}`);
    const described = await temporal.client.workflow.getHandle(res.body.workflowId).describe();
    expect(described.type).toBe('buildWorkflow');
    const explicit = await trigger({ branch: 'develop' });
    expect(explicit.body.branch).toBe('develop');
    expect((await trigger({ branch: 'bad name' })).status).toBe(400);
    const noRegistry = await trigger({}, bareServiceId);
    expect(noRegistry.status).toBe(409);
    expect(noRegistry.body.message).toMatch(/registry/);
    expect((await api.request('POST', `/services/${serviceId}/builds`, { token: other.token, body: {} })).status).toBe(
      404,
    );
  });

  it('lists builds newest first with filters and pages, per organization', async () => {
    for (const branch of ['a', 'b', 'a']) await trigger({ branch });
    const all = await api.request('GET', `/services/${serviceId}/builds?pageSize=2`, { token: org.token });
    expect(all.body.total).toBeGreaterThanOrEqual(5);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0].branch).toBe('a');
    const page2 = await api.request('GET', `/services/${serviceId}/builds?pageSize=2&page=2`, { token: org.token });
    expect(page2.body.items[0].id).not.toBe(all.body.items[0].id);
    const onlyA = await api.request('GET', `/builds?branch=a&status=Pending`, { token: org.token });
    expect(onlyA.body.items.map((b: { branch: string }) => b.branch)).toEqual(['a', 'a']);
    expect((await api.request('GET', '/builds', { token: other.token })).body.total).toBe(0);
    expect((await api.request('GET', '/builds?status=Nope', { token: org.token })).status).toBe(400);
  });

  it('shows a build with its sub-project builds, hidden from other organizations', async () => {
    const parent = await trigger();
    const [row] = await api.db.select().from(builds).where(eq(builds.id, parent.body.id));
    await ensureChildBuild(api.db, row!, 'frontend');
    const detail = await api.request('GET', `/builds/${parent.body.id}`, { token: org.token });
    expect(detail.body.children.map((c: { subproject: string }) => c.subproject)).toEqual(['frontend']);
    expect((await api.request('GET', `/builds/${parent.body.id}`, { token: other.token })).status).toBe(404);
  });

  it('cancels a running build by signalling its workflow; a finished one cannot be cancelled', async () => {
    const build = await trigger();
    const res = await api.request('POST', `/builds/${build.body.id}/cancel`, { token: org.token });
    expect(res.status).toBe(202);
    const history = await temporal.client.workflow.getHandle(build.body.workflowId).fetchHistory();
    const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals[0]!.workflowExecutionSignaledEventAttributes!.signalName).toBe('cancelBuild');
    await updateBuildProgress(api.db, build.body.id, { status: 'Cancelled', finishedAt: new Date() });
    expect((await api.request('POST', `/builds/${build.body.id}/cancel`, { token: org.token })).status).toBe(409);
    expect((await api.request('POST', `/builds/${build.body.id}/cancel`, { token: other.token })).status).toBe(404);
  });

  it('retries a failed build with the same ref and commit as a new build', async () => {
    const build = await trigger({ branch: 'release', sha: 'd'.repeat(40) });
    expect((await api.request('POST', `/builds/${build.body.id}/retry`, { token: org.token })).status).toBe(409);
    await updateBuildProgress(api.db, build.body.id, { status: 'Failed', error: 'boom', finishedAt: new Date() });
    const retry = await api.request('POST', `/builds/${build.body.id}/retry`, { token: org.token });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({
      trigger: 'retry',
      ref: 'refs/heads/release',
      sha: 'd'.repeat(40),
      status: 'Pending',
      error: null,
      retryOfBuildId: build.body.id,
    });
    expect(retry.body.id).not.toBe(build.body.id);
    await temporal.client.workflow.getHandle(retry.body.workflowId).describe();
  });
});

describe('build logs', () => {
  it('pages log lines by seq and filters them by search text', async () => {
    const build = await trigger();
    const at = new Date();
    await appendBuildLogLines(api.db, build.body.id, [
      { seq: 1000, stream: 'stdout', text: 'Cloning', at },
      { seq: 1001, stream: 'stderr', text: 'warning: deprecated', at },
      { seq: 1002, stream: 'stdout', text: 'Done', at },
    ]);
    const url = `/builds/${build.body.id}/logs`;
    const first = await api.request('GET', `${url}?limit=2`, { token: org.token });
    expect(first.body.lines.map((l: { text: string }) => l.text)).toEqual([
      expect.stringMatching(/^Triggered manually/),
      'Cloning',
    ]);
    expect(first.body.hasMore).toBe(true);
    const next = await api.request('GET', `${url}?afterSeq=${first.body.nextAfterSeq}`, { token: org.token });
    expect(next.body.lines.map((l: { seq: number }) => l.seq)).toEqual([1001, 1002]);
    const search = await api.request('GET', `${url}?search=WARN`, { token: org.token });
    expect(search.body.lines).toEqual([expect.objectContaining({ stream: 'stderr', text: 'warning: deprecated' })]);
    expect((await api.request('GET', url, { token: other.token })).status).toBe(404);
  });

  it('streams lines live over SSE, including lines written by another process, and ends with the build', async () => {
    const build = await trigger();
    const res = await api.app.request(`/api/v1/builds/${build.body.id}/logs/stream`, {
      headers: { authorization: `Bearer ${org.token}` },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = readEvents(res.body!);
    expect((await events.next('log')).text).toMatch(/^Triggered manually/);
    await appendBuildLogLines(api.db, build.body.id, [
      { seq: 1000, stream: 'stdout', text: 'live line', at: new Date() },
    ]);
    expect((await events.next('log')).text).toBe('live line');
    // A worker in another process writes through its own connection: no in-process notification.
    const outside = postgres(api.url, { max: 1 });
    await outside`insert into build_log_lines (build_id, seq, stream, text, at) values (${build.body.id}, 1001, 'stdout', 'from worker', now())`;
    await outside.end();
    expect((await events.next('log')).text).toBe('from worker');
    await updateBuildProgress(api.db, build.body.id, {
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
