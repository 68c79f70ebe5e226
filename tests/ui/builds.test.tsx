// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Build } from '../../ui/src/api/types';
import { BuildsPanel } from '../../ui/src/builds/builds-panel';
import { aBuild, aService } from './support/builders';
import { installFakeApi } from './support/fake-api';
import { renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
  window.location.hash = '';
});
afterEach(() => {
  cleanup();
  api.restore();
});

const service = aService({ name: 'shop' });
function serveBuilds(builds: Build[]) {
  api.on('GET', '/services/:id/builds', () => ({ items: builds }));
}

describe('Builds panel', () => {
  it('lists builds with status, branch, trigger, duration, progress and current step', async () => {
    serveBuilds([
      aBuild({
        commitMessage: 'Add checkout endpoint\n\nLonger body',
        status: 'Building',
        progress: 40,
        currentStep: 'Build',
        branch: 'main',
      }),
      aBuild({
        commitMessage: null,
        id: 'abcdef12-0000-4000-8000-000000000000',
        status: 'Succeeded',
        progress: 100,
        currentStep: 'Done',
        trigger: 'api',
        event: 'manual',
        durationMs: 125_000,
        branch: 'develop',
      }),
    ]);
    renderWithApp(<BuildsPanel service={service} openBuildId={undefined} />);
    const list = await screen.findByRole('list', { name: 'Builds' });
    const [running, done] = within(list).getAllByRole('listitem');
    expect(running).toHaveTextContent('Add checkout endpoint');
    expect(running).not.toHaveTextContent('Longer body');
    expect(within(running!).getByText('Building')).toBeInTheDocument();
    expect(running).toHaveTextContent('Triggered by Webhook (push)');
    expect(running).toHaveTextContent(/main · 1m 0\ds/);
    expect(within(running!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
    expect(running).toHaveTextContent('40% · Build');
    expect(done).toHaveTextContent('Build abcdef12');
    expect(done).toHaveTextContent('Manual');
    expect(done).toHaveTextContent('develop · 2m 05s');
    expect(within(done!).getByText('Succeeded')).toBeInTheDocument();
  });

  it('offers Cancel while pending or building and Retry when failed or cancelled', async () => {
    const user = userEvent.setup();
    const pending = aBuild({ commitMessage: 'pending one', status: 'Pending', progress: 0 });
    const failed = aBuild({
      commitMessage: 'failed one',
      status: 'Failed',
      progress: 60,
      error: 'Dockerfile not found',
    });
    const cancelled = aBuild({ commitMessage: 'cancelled one', status: 'Cancelled' });
    const succeeded = aBuild({ commitMessage: 'good one', status: 'Succeeded', progress: 100 });
    serveBuilds([pending, failed, cancelled, succeeded]);
    api.on('POST', '/builds/:id/cancel', () => ({ status: 202, body: { status: 'cancelling' } }));
    api.on('POST', '/builds/:id/retry', () => ({ status: 201, body: aBuild({ trigger: 'retry' }) }));
    renderWithApp(<BuildsPanel service={service} openBuildId={undefined} />);
    await screen.findByRole('list', { name: 'Builds' });
    expect(screen.getByRole('button', { name: 'Cancel pending one' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry pending one' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry failed one' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry cancelled one' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /(Cancel|Retry) good one/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Cancel pending one' }));
    await user.click(screen.getByRole('button', { name: 'Retry failed one' }));
    await waitFor(() => {
      expect(api.calls.some((c) => c.method === 'POST' && c.path === `/builds/${pending.id}/cancel`)).toBe(true);
      expect(api.calls.some((c) => c.method === 'POST' && c.path === `/builds/${failed.id}/retry`)).toBe(true);
    });
    expect(await screen.findByText('Cancel requested')).toBeInTheDocument();
  });

  it('triggers a build on main by default and opens it', async () => {
    const user = userEvent.setup();
    serveBuilds([]);
    const started = aBuild({ status: 'Pending', trigger: 'api', event: 'manual' });
    api.on('POST', '/services/:id/builds', ({ body }) => ({
      status: 201,
      body: { ...started, branch: (body as { branch: string }).branch },
    }));
    renderWithApp(<BuildsPanel service={service} openBuildId={undefined} />);
    expect(await screen.findByText(/No builds yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Trigger Build' }));
    const dialog = await screen.findByRole('dialog', { name: 'Trigger build' });
    expect(within(dialog).getByLabelText('Branch')).toHaveValue('main');
    await user.click(within(dialog).getByRole('button', { name: 'Start build' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/services/${service.id}/builds/${started.id}`));
    expect(api.calls.find((c) => c.method === 'POST' && c.path === `/services/${service.id}/builds`)?.body).toEqual({
      branch: 'main',
    });
  });

  it('expands a monorepo build into its sub-project builds and links to the Temporal workflow', async () => {
    const parent = aBuild({
      commitMessage: 'Monorepo change',
      status: 'Building',
      temporalUrl: 'http://temporal.example/namespaces/default/workflows/build-1',
    });
    const web = aBuild({ parentBuildId: parent.id, subproject: 'frontend', status: 'Succeeded', progress: 100 });
    const api2 = aBuild({ parentBuildId: parent.id, subproject: 'backend', status: 'Failed', progress: 70 });
    serveBuilds([parent, web, api2]);
    renderWithApp(<BuildsPanel service={service} openBuildId={parent.id} />);
    const list = await screen.findByRole('list', { name: 'Builds' });
    expect(within(list).getAllByRole('listitem', { name: /^Build / })).toHaveLength(1);
    expect(within(list).getByText(/2 sub-projects/)).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: /Hide log of Monorepo change/ })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    const subs = within(list).getByRole('list', { name: 'Sub-project builds' });
    expect(within(subs).getByText('frontend')).toBeInTheDocument();
    expect(within(subs).getByText('backend')).toBeInTheDocument();
    expect(within(subs).getByRole('button', { name: /Retry/ })).toBeInTheDocument();
    expect(within(subs).getByRole('listitem', { name: 'Sub-project backend, Failed' })).toBeInTheDocument();
    await userEvent.setup().click(within(subs).getByRole('button', { name: 'Show log of sub-project backend' }));
    expect(within(subs).getByRole('log', { name: 'Log of sub-project backend' })).toBeInTheDocument();
    expect(within(list).getByRole('link', { name: /Workflow of Monorepo change/ })).toHaveAttribute(
      'href',
      parent.temporalUrl,
    );
    expect(within(list).getByRole('log', { name: 'Build log of Monorepo change' })).toBeInTheDocument();
  });
});
