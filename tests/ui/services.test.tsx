// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServicesPage } from '../../ui/src/services/services-page';
import { aBuild, aService, someAutoCi } from './support/builders';
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

const gitlabConnected = {
  items: [{ id: 'p1', organizationId: 'o', kind: 'gitlab', baseUrl: 'https://gitlab.example.com', hasToken: true }],
};

describe('Services page', () => {
  it('shows a card per service with the four pipeline stages and their status', async () => {
    const ready = aService({ name: 'shop-api', autoCiEnabled: true });
    api.on('GET', '/services', () => ({ items: [ready] }));
    api.on('GET', '/git-providers', () => gitlabConnected);
    api.on('GET', '/services/:id/builds', () => ({
      items: [aBuild({ serviceId: ready.id, status: 'Building', progress: 40 })],
    }));
    renderWithApp(<ServicesPage creating={false} />);
    const card = await screen.findByRole('article', { name: 'shop-api' });
    const stages = within(card).getByRole('list', { name: 'shop-api pipeline' });
    const buttons = within(stages).getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-label')?.split(':')[0])).toEqual([
      'Source',
      'Build',
      'Deploy',
      'Operate',
    ]);
    expect(within(stages).getByRole('button', { name: 'Source: Connected' })).toBeInTheDocument();
    expect(await within(stages).findByRole('button', { name: 'Build: Building 40%' })).toBeInTheDocument();
    expect(within(stages).getByRole('button', { name: 'Deploy: No cluster' })).toBeInTheDocument();
  });

  it('shows the Deploy and Operate stages from the cluster: rollout state and ready replicas', async () => {
    const deployed = aService({ name: 'deployed', clusterId: 'c1' });
    const failing = aService({ name: 'failing', clusterId: 'c1' });
    api.on('GET', '/services', () => ({ items: [deployed, failing] }));
    api.on('GET', '/git-providers', () => gitlabConnected);
    api.on('GET', '/services/:id/deployment', (req) =>
      req.params[0] === deployed.id
        ? { state: 'Available', availableReplicas: 2, replicas: 2, image: 'h/p/deployed@sha256:abc' }
        : { state: 'Failed', availableReplicas: 0, replicas: 1, message: 'ImagePullBackOff' },
    );
    renderWithApp(<ServicesPage creating={false} />);
    const ok = within(await screen.findByRole('article', { name: 'deployed' }));
    expect(await ok.findByRole('button', { name: 'Deploy: Deployed' })).toBeInTheDocument();
    expect(ok.getByRole('button', { name: 'Operate: 2/2 ready' })).toBeInTheDocument();
    const bad = within(screen.getByRole('article', { name: 'failing' }));
    expect(await bad.findByRole('button', { name: 'Deploy: Deploy failed' })).toBeInTheDocument();
  });

  it('disables Auto CI and names what is missing (registry, Git token)', async () => {
    const user = userEvent.setup();
    const noRegistry = aService({ name: 'no-registry', registryId: null });
    const github = aService({ name: 'on-github', gitProvider: 'github' });
    api.on('GET', '/services', () => ({ items: [noRegistry, github] }));
    api.on('GET', '/git-providers', () => gitlabConnected);
    renderWithApp(<ServicesPage creating={false} />);
    const button = await screen.findByRole('button', { name: 'Auto CI for no-registry' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAccessibleDescription(/needs a registry/);
    await user.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Auto CI for on-github' })).toHaveAccessibleDescription(
        /needs a Git token/,
      ),
    );
    expect(screen.getByRole('button', { name: 'Source: No Git token' })).toBeInTheDocument();
  });

  it('opens the Auto CI modal from the lightning button and from the Build stage, with its tooltip on focus', async () => {
    const user = userEvent.setup();
    const service = aService({ name: 'shop-api' });
    api.on('GET', '/services', () => ({ items: [service] }));
    api.on('GET', '/git-providers', () => gitlabConnected);
    api.on('GET', '/services/:id/auto-ci', () => someAutoCi(service));
    renderWithApp(<ServicesPage creating={false} />);
    const button = await screen.findByRole('button', { name: 'Auto CI for shop-api' });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    // Keyboard users reach it with Tab and see the same tooltip as on hover.
    for (let i = 0; i < 10 && document.activeElement !== button; i++) await user.tab();
    expect(button).toHaveFocus();
    expect(screen.getByRole('tooltip')).toHaveTextContent('Auto CI');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Auto CI — shop-api' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close dialog' }));
    await user.click(screen.getByRole('button', { name: /^Build:/ }));
    expect(await screen.findByRole('dialog', { name: 'Auto CI — shop-api' })).toBeInTheDocument();
  });

  it('creates a service and reports server validation errors in the form', async () => {
    const user = userEvent.setup();
    api.on('GET', '/services', () => ({ items: [] }));
    api.on('GET', '/git-providers', () => gitlabConnected);
    api.on('GET', '/registries', () => ({
      items: [{ id: 'reg-1', name: 'harbor', url: 'harbor.example.com', project: 'team' }],
    }));
    api.on('GET', '/clusters', () => ({ items: [] }));
    let attempts = 0;
    api.on('POST', '/services', ({ body }) =>
      ++attempts === 1
        ? {
            status: 409,
            body: { error: 'Conflict', message: 'An object with the same name already exists; choose another name.' },
          }
        : { status: 201, body: aService({ ...(body as object), id: 'new-id' }) },
    );
    renderWithApp(<ServicesPage creating />);
    const dialog = await screen.findByRole('dialog', { name: 'New service' });
    await user.type(within(dialog).getByLabelText('Name'), 'web');
    await user.type(within(dialog).getByLabelText('Repository URL'), 'https://gitlab.example.com/team/web.git');
    await user.selectOptions(
      within(dialog).getByLabelText('Registry'),
      await within(dialog).findByRole('option', { name: /harbor/ }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Create service' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('choose another name');
    await user.click(within(dialog).getByRole('button', { name: 'Create service' }));
    await waitFor(() => expect(window.location.hash).toBe('#/services/new-id'));
    const post = api.calls.filter((c) => c.method === 'POST' && c.path === '/services').at(-1);
    expect(post?.body).toMatchObject({
      name: 'web',
      gitProvider: 'gitlab',
      repoUrl: 'https://gitlab.example.com/team/web.git',
      defaultBranch: 'main',
      registryId: 'reg-1',
    });
  });
});
