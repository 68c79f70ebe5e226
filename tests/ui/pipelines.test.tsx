// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../ui/src/api/types';
import { PipelinesPanel } from '../../ui/src/pipelines/pipelines-panel';
import { installFakeApi } from './support/fake-api';
import { renderWithApp } from './support/render-app';
import { installScrollLayout } from './support/scroll-box';

let api: ReturnType<typeof installFakeApi>;
let uninstall: () => void;
beforeAll(() => (uninstall = installScrollLayout()));
afterAll(() => uninstall());
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
});

const serviceId = '00000000-0000-4000-8000-00000000beef';
const pipeline = (patch: Partial<Pipeline>): Pipeline => ({
  id: 101,
  iid: 7,
  status: 'Failed',
  gitlabStatus: 'failed',
  ref: 'main',
  sha: 'deadbeefcafe',
  shortSha: 'deadbeef',
  source: 'push',
  createdAt: new Date().toISOString(),
  updatedAt: null,
  webUrl: 'https://gitlab.example.com/team/shop/-/pipelines/101',
  canCancel: false,
  canRetry: true,
  ...patch,
});

describe('Pipelines tab', () => {
  it('prompts to connect a GitLab project when none is linked', async () => {
    api.on('GET', '/services/:id/pipelines', () => ({
      linked: false,
      reason: 'not-gitlab',
      message: 'Pipelines need a GitLab project: connect one.',
    }));
    renderWithApp(<PipelinesPanel serviceId={serviceId} defaultBranch="main" />);
    expect(await screen.findByText('Pipelines need a GitLab project: connect one.')).toBeInTheDocument();
  });

  it('lists pipelines with their actions, expands jobs by stage and opens a job log', async () => {
    const user = userEvent.setup();
    api.on('GET', '/services/:id/pipelines', () => ({
      linked: true,
      projectPath: 'team/shop',
      items: [pipeline({}), pipeline({ id: 102, status: 'Running', canCancel: true, canRetry: false })],
      pagination: {},
    }));
    api.on('GET', '/services/:id/pipelines/:pid', () => ({
      pipeline: pipeline({}),
      stages: [
        {
          name: 'test',
          status: 'Failed',
          jobs: [
            {
              id: 9,
              name: 'unit',
              stage: 'test',
              status: 'Failed',
              durationSeconds: 42,
              failureReason: 'script_failure',
              webUrl: '',
            },
          ],
        },
      ],
    }));
    api.on('GET', '/services/:id/jobs/:jid/log', () => ({
      job: { id: 9, name: 'unit', stage: 'test', status: 'Failed' },
      lines: [
        { n: 1, text: '$ npm test', stream: 'stdout', section: null },
        { n: 2, text: '\u001b[31mERROR: 1 test failed\u001b[0m', stream: 'stderr', section: null },
      ],
      sections: [],
      totalLines: 2,
      truncated: false,
    }));
    api.on('POST', '/services/:id/pipelines/:pid/retry', () => pipeline({ status: 'Pending' }));
    renderWithApp(<PipelinesPanel serviceId={serviceId} defaultBranch="main" />);
    const list = await screen.findByRole('list', { name: 'Pipelines' });
    const [failed, running] = within(list).getAllByRole('listitem');
    expect(within(failed!).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(within(running!).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    expect(within(failed!).getByRole('link', { name: /View in GitLab/ })).toHaveAttribute(
      'href',
      'https://gitlab.example.com/team/shop/-/pipelines/101',
    );
    await user.click(within(failed!).getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(
        api.calls.some((c) => c.method === 'POST' && c.path === `/services/${serviceId}/pipelines/101/retry`),
      ).toBe(true),
    );
    await user.click(within(failed!).getByRole('button', { name: 'Show jobs of pipeline 101' }));
    const stage = await screen.findByRole('region', { name: 'Stage test' });
    await user.click(within(stage).getByRole('button', { name: 'Log of job unit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Job unit' });
    const errorLine = await within(dialog).findByText('ERROR: 1 test failed');
    expect(errorLine.closest('.log-line')).toHaveClass('log-stderr');
    expect(within(dialog).getByText('$ npm test')).toBeInTheDocument();
  });
});
