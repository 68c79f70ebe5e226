import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { progressQuery } from '../../workflows/messages';
import type { BuildProgress } from '../../workflows/messages';
import { pushWebhook, registerService, replayEveryBuild, useKilnWorld } from './setup';
import { buildSteps } from '../../domain/build-status';

const env = useKilnWorld();

interface Sample {
  query: BuildProgress;
  api: { status: string; currentStep: string; progress: number };
}

/** Asserts the steps only move forward (in the documented order) and the percentage never goes back. */
function expectForwardOnly(points: { step: string; percent: number }[]) {
  const order = points.map((point) => buildSteps.indexOf(point.step as (typeof buildSteps)[number]));
  expect(order.every((index) => index >= 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  const percents = points.map((point) => point.percent);
  expect(percents).toEqual([...percents].sort((a, b) => a - b));
}

describe('build progress', () => {
  it('the progress query and GET /builds/:id show the same step, rising to 100 through Build and Push', async () => {
    const { sha } = await env.world.git.createRepository('steps', {
      Dockerfile: [
        `FROM ${env.world.busybox}`,
        'RUN echo one && sleep 1',
        'RUN echo two && sleep 1',
        'RUN echo three && sleep 1',
        'RUN head -c 3000000 /dev/urandom > /blob',
        'CMD ["true"]',
        '',
      ].join('\n'),
    });
    const service = await registerService(env.kiln, env.world, 'steps');
    const buildId = await pushWebhook(env.kiln, service, sha);
    const { body: created } = await env.kiln.api('GET', `/builds/${buildId}`);
    const handle = (await env.kiln.temporal()).workflow.getHandle(created.workflowId);

    const samples: Sample[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const [query, { body: api }] = await Promise.all([
        handle.query(progressQuery),
        env.kiln.api('GET', `/builds/${buildId}`),
      ]);
      samples.push({ query, api });
      if (['Succeeded', 'Failed', 'Cancelled'].includes(api.status) && query.status === api.status) break;
    }
    const last = samples.at(-1)!;
    expect(last.api).toMatchObject({ status: 'Succeeded', currentStep: 'Done', progress: 100 });
    expect(last.query).toMatchObject({ status: 'Succeeded', step: 'Done', percent: 100 });

    expectForwardOnly(samples.map((s) => s.query));
    expectForwardOnly(samples.map((s) => ({ step: s.api.currentStep, percent: s.api.progress })));
    // Between Build (25 %) and Push (80 %) the builder's Dockerfile steps move the bar, in both views alike.
    const midBuild = samples.filter(
      (s) => s.query.step === 'Build' && s.query.percent > 25 && s.query.percent < 80 && s.api.currentStep === 'Build',
    );
    expect(midBuild.some((s) => s.api.progress === s.query.percent)).toBe(true);
    expect(samples.some((s) => s.query.step === 'Push' || s.api.currentStep === 'Push')).toBe(true);

    // Progress has one channel: every step the workflow entered and every percentage the builder signalled was
    // persisted by the workflow, in order — the recordProgress calls in its history.
    const history = await handle.fetchHistory();
    const persisted = (history.events ?? [])
      .map((event) => event.activityTaskScheduledEventAttributes)
      .filter((attrs) => attrs?.activityType?.name === 'recordProgress')
      .map((attrs) =>
        defaultPayloadConverter.fromPayload<{ step: string; percent: number }>(attrs!.input!.payloads![0]!),
      );
    const steps = persisted.map((p) => p.step).filter((step, i, all) => all[i - 1] !== step);
    expect(steps).toEqual(['Clone', 'Detect', 'Profile', 'Build', 'Push']);
    expect(persisted.some((p) => p.step === 'Build' && p.percent > 25 && p.percent < 80)).toBe(true);
    expectForwardOnly(persisted);
  }, 90_000);

  it("every build's history replays cleanly against the current workflow code", async () => {
    expect(await replayEveryBuild(env.kiln)).toBeGreaterThan(0);
  }, 60_000);
});
