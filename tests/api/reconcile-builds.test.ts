import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBuildLogLines } from '../../db/build-logs';
import { builds } from '../../db/schema';
import { reconcileLostBuilds, startBuildReconciler } from '../../server/reconcile-builds';
import { createOrgWithMember, createTestApi, expectStatus, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
let api: TestApi;
let serviceId: string;
let organizationId: string;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client });
  const org = await createOrgWithMember(api, 'healing');
  organizationId = org.organizationId;
  const json = { name: 'api', gitProvider: 'gitlab' as const, repoUrl: 'https://gitlab.example.com/h/api.git' };
  serviceId = (await expectStatus(api.client(org.token).services.$post({ json }), 201)).id;
});
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
});

/** A build row as the webhook intake records it, but whose workflow was never started (or was lost). */
async function recordedBuild(ageSeconds: number, status: 'Pending' | 'Building' | 'Succeeded' = 'Pending') {
  const id = randomUUID();
  await api.db.insert(builds).values({
    id,
    serviceId,
    organizationId,
    trigger: 'webhook',
    event: 'push',
    provider: 'gitlab',
    ref: 'refs/heads/main',
    branch: 'main',
    sha: 'a'.repeat(40),
    status,
    workflowId: `build-lost-${id}`,
    createdAt: new Date(Date.now() - ageSeconds * 1000),
  });
  return { id, workflowId: `build-lost-${id}` };
}

async function workflowExists(workflowId: string): Promise<boolean> {
  try {
    await temporal.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

const reconcile = () => reconcileLostBuilds({ db: api.db, temporal: temporal.client, logger, intervalSeconds: 1 });

describe('lost build starts', () => {
  it('starts again a recorded build whose workflow Temporal does not have, once, under the same workflow id', async () => {
    const lost = await recordedBuild(120);
    const running = await recordedBuild(120, 'Building');
    expect(await workflowExists(lost.workflowId)).toBe(false);

    const first = await reconcile();
    expect(first.restarted).toEqual(expect.arrayContaining([lost.id, running.id]));
    expect(await workflowExists(lost.workflowId)).toBe(true);
    expect(await workflowExists(running.workflowId)).toBe(true);
    const log = await readBuildLogLines(api.db, lost.id);
    expect(log.map((l) => l.text)).toContain('Kiln started this build again: its workflow was missing from Temporal.');

    // The second pass finds the workflows and leaves them alone: still one build and one workflow per delivery.
    const second = await reconcile();
    expect(second.restarted).not.toContain(lost.id);
    const rows = await api.db.select().from(builds).where(eq(builds.workflowId, lost.workflowId));
    expect(rows).toHaveLength(1);
  });

  it('leaves alone builds still being started, finished builds and builds whose workflow exists', async () => {
    const fresh = await recordedBuild(2);
    const finished = await recordedBuild(600, 'Succeeded');
    const result = await reconcile();
    expect(result.restarted).not.toContain(fresh.id);
    expect(result.restarted).not.toContain(finished.id);
    expect(await workflowExists(fresh.workflowId)).toBe(false);
    expect(await workflowExists(finished.workflowId)).toBe(false);
  });

  it('fails a lost build that is too old to build, with a message saying what to do', async () => {
    const stale = await recordedBuild(2 * 86_400);
    const result = await reconcile();
    expect(result.failed).toContain(stale.id);
    expect(await workflowExists(stale.workflowId)).toBe(false);
    const [row] = await api.db.select().from(builds).where(eq(builds.id, stale.id));
    expect(row).toMatchObject({ status: 'Failed', errorType: 'BuildLost' });
    expect(row!.error).toMatch(/workflow is missing from Temporal.*Push again or retry the build/);
    expect(row!.finishedAt).not.toBeNull();
  });

  it('heals on its own within a few intervals when running in the background', async () => {
    const lost = await recordedBuild(90);
    const reconciler = startBuildReconciler({ db: api.db, temporal: temporal.client, logger, intervalSeconds: 1 });
    try {
      const deadline = Date.now() + 10_000;
      while (!(await workflowExists(lost.workflowId))) {
        if (Date.now() > deadline) expect.fail('the background reconciler did not start the lost build');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await reconciler.stop();
    }
  });
});
