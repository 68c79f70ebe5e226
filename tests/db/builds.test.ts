import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildLogSink } from '../../build-log/build-log-sink';
import { appendBuildLogLines, readBuildLogLines } from '../../db/build-logs';
import { ensureChildBuild, loadBuildForWorkflow, updateBuildProgress } from '../../db/builds';
import { createSecretCipher } from '../../db/crypto';
import { autoCiSettings, builds, clusters, gitProviders, organizations, registries, services } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { REDACTED } from '../../domain/redact';

const cipher = createSecretCipher(randomBytes(32));
let database: TestDatabase;
let serviceId: string;
let organizationId: string;

async function newBuild(overrides: Partial<typeof builds.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(builds)
    .values({
      serviceId,
      organizationId,
      trigger: 'webhook',
      event: 'push',
      ref: 'refs/heads/main',
      branch: 'main',
      sha: 'c'.repeat(40),
      workflowId: `wf-${randomBytes(6).toString('hex')}`,
      ...overrides,
    })
    .returning();
  return row!;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const [org] = await db.insert(organizations).values({ name: 'o' }).returning();
  organizationId = org!.id;
  await db.insert(gitProviders).values([
    { organizationId, kind: 'gitlab', baseUrl: 'https://gitlab.com', tokenEnc: cipher.encrypt('wrong-host-token') },
    { organizationId, kind: 'gitlab', baseUrl: 'https://git.acme.dev', tokenEnc: cipher.encrypt('glpat-acme-0001') },
  ]);
  const [registry] = await db
    .insert(registries)
    .values({
      organizationId,
      name: 'h',
      kind: 'harbor',
      url: 'https://harbor.acme.dev/',
      project: 'team',
      username: 'robot',
      passwordEnc: cipher.encrypt('harbor-pass-1'),
    })
    .returning();
  const [cluster] = await db
    .insert(clusters)
    .values({
      organizationId,
      name: 'k',
      mode: 'kubeconfig',
      kubeconfigEnc: cipher.encrypt('apiVersion: v1\nclusters: []'),
    })
    .returning();
  const [service] = await db
    .insert(services)
    .values({
      organizationId,
      name: 'api',
      gitProvider: 'gitlab',
      repoUrl: 'https://git.acme.dev/team/api.git',
      projectPath: 'team/api',
      registryId: registry!.id,
      clusterId: cluster!.id,
      webhookSecretEnc: cipher.encrypt('s'),
    })
    .returning();
  serviceId = service!.id;
  await db.insert(autoCiSettings).values({ serviceId, enabled: true, buildArgs: { A: '1' } });
});
afterAll(async () => database?.close());

describe('build data access', () => {
  it('loads a build with decrypted credentials and effective defaults', async () => {
    const build = await newBuild();
    const loaded = await loadBuildForWorkflow(database.db, cipher, build.id);
    expect(loaded.git).toEqual({ baseUrl: 'https://git.acme.dev', token: 'glpat-acme-0001', providerApi: true });
    expect(loaded.registry).toMatchObject({
      host: 'harbor.acme.dev',
      project: 'team',
      username: 'robot',
      password: 'harbor-pass-1',
    });
    expect(loaded.cluster?.kubeconfig).toContain('apiVersion');
    expect(loaded.service.deployNamespace).toBe('api');
    expect(loaded.autoCi).toMatchObject({ imageName: 'api', buildArgs: { A: '1' }, dockerfilePath: 'Dockerfile' });
    expect(loaded.secrets).toEqual(
      expect.arrayContaining([
        'glpat-acme-0001',
        'harbor-pass-1',
        Buffer.from('robot:harbor-pass-1').toString('base64'),
      ]),
    );
    await expect(loadBuildForWorkflow(database.db, cipher, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(
      /does not exist/,
    );
  });

  it('records progress and never reopens a finished build', async () => {
    const build = await newBuild();
    const startedAt = new Date('2026-01-01T10:00:00Z');
    await updateBuildProgress(database.db, build.id, { status: 'Building', step: 'Clone', percent: 10.4, startedAt });
    const finishedAt = new Date('2026-01-01T10:01:30Z');
    await updateBuildProgress(database.db, build.id, {
      status: 'Succeeded',
      step: 'Done',
      percent: 100,
      finishedAt,
      digest: 'sha256:abc',
      images: ['r/a:1'],
    });
    expect(await updateBuildProgress(database.db, build.id, { status: 'Building', percent: 50 })).toBe(false);
    const [row] = await database.db.select().from(builds).where(eq(builds.id, build.id));
    expect(row).toMatchObject({
      status: 'Succeeded',
      progress: 100,
      currentStep: 'Done',
      durationMs: 90_000,
      digest: 'sha256:abc',
      images: ['r/a:1'],
    });
  });

  it('creates exactly one child build per sub-project, even concurrently', async () => {
    const parent = await newBuild();
    const children = await Promise.all(
      Array.from({ length: 8 }, () => ensureChildBuild(database.db, parent, 'backend')),
    );
    expect(new Set(children.map((c) => c.id)).size).toBe(1);
    expect(children[0]).toMatchObject({
      parentBuildId: parent.id,
      subproject: 'backend',
      sha: parent.sha,
      status: 'Pending',
    });
    expect(children[0]!.workflowId).toBe(`build-${children[0]!.id}`);
  });
});

describe('build log sink', () => {
  it('writes lines in order, in batches, with secrets redacted', async () => {
    const build = await newBuild();
    const sink = createBuildLogSink({
      db: database.db,
      buildId: build.id,
      startSeq: 1000,
      secrets: ['hunter22', 'glpat-acme-0001'],
      batchSize: 7,
    });
    for (let i = 0; i < 50; i++) sink.write(i % 2 ? 'stderr' : 'stdout', `line ${i} token=glpat-acme-0001`);
    sink.write('system', 'password hunter22 end');
    await sink.close();
    const lines = await readBuildLogLines(database.db, build.id, { limit: 100 });
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 51 }, (_, i) => 1000 + i));
    expect(lines[3]).toMatchObject({ stream: 'stderr', text: `line 3 token=${REDACTED}` });
    expect(lines.at(-1)!.text).toBe(`password ${REDACTED} end`);
    expect(lines.some((l) => l.text.includes('glpat'))).toBe(false);
  });

  it('does not duplicate lines when a retried activity writes the same seqs again', async () => {
    const build = await newBuild();
    for (let attempt = 0; attempt < 2; attempt++) {
      const sink = createBuildLogSink({ db: database.db, buildId: build.id, startSeq: 2_000_000 });
      sink.write('stdout', 'step 1');
      sink.write('stdout', 'step 2');
      await sink.flush();
    }
    expect(await readBuildLogLines(database.db, build.id)).toHaveLength(2);
    await appendBuildLogLines(database.db, build.id, [
      { seq: 2_000_000, stream: 'stdout', text: 'changed', at: new Date() },
    ]);
    expect((await readBuildLogLines(database.db, build.id))[0]!.text).toBe('step 1');
  });

  it('filters lines by search text, treating % and _ literally', async () => {
    const build = await newBuild();
    const at = new Date();
    await appendBuildLogLines(database.db, build.id, [
      { seq: 1, stream: 'stdout', text: 'Step 1/3 : FROM node', at },
      { seq: 2, stream: 'stdout', text: 'progress 100%', at },
      { seq: 3, stream: 'stderr', text: 'npm ERR! missing', at },
    ]);
    expect((await readBuildLogLines(database.db, build.id, { search: 'err!' })).map((l) => l.seq)).toEqual([3]);
    expect((await readBuildLogLines(database.db, build.id, { search: '100%' })).map((l) => l.seq)).toEqual([2]);
    expect(await readBuildLogLines(database.db, build.id, { search: '%' })).toHaveLength(1);
    expect((await readBuildLogLines(database.db, build.id, { afterSeq: 1, limit: 1 })).map((l) => l.seq)).toEqual([2]);
  });
});
