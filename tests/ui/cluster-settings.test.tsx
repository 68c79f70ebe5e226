// @vitest-environment jsdom
// An in-cluster runtime environment is registered with the namespaces its services may deploy to, and lists them.
import '@testing-library/jest-dom/vitest';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsPage } from '../../ui/src/settings/settings-page';
import { installFakeApi } from './support/fake-api';
import { adminMe, renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
});

const cluster = {
  id: 'c1',
  organizationId: 'o',
  name: 'shared',
  mode: 'in-cluster',
  context: null,
  server: null,
  hasKubeconfig: false,
  namespaces: ['shop', 'team-a-*'],
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('in-cluster runtime environments', () => {
  it('are added with the namespaces their services may deploy to, and show them', async () => {
    const user = userEvent.setup();
    api.on('GET', '/clusters', () => ({ items: [cluster] }));
    api.on('POST', '/clusters', () => ({ status: 201, body: { ...cluster, id: 'c2', name: 'here' } }));
    renderWithApp(<SettingsPage tab="clusters" />, adminMe);
    expect(await screen.findByText('namespaces shop, team-a-*')).toBeInTheDocument();
    await user.click(screen.getByText('Add a cluster'));
    await user.type(screen.getByLabelText('Name'), 'here');
    await user.selectOptions(screen.getByLabelText('Connect with'), 'in-cluster');
    expect(screen.queryByLabelText('Kubeconfig')).toBeNull();
    await user.type(screen.getByLabelText('Namespaces services may deploy to'), 'web, apps-*');
    await user.click(screen.getByRole('button', { name: 'Add cluster' }));
    await screen.findByText('Cluster here added');
    const post = api.calls.find((c) => c.method === 'POST' && c.path.startsWith('/clusters'));
    expect(post?.body).toEqual({ name: 'here', mode: 'in-cluster', namespaces: ['web', 'apps-*'] });
  });
});
