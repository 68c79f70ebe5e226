// @vitest-environment jsdom
// Users and API tokens screens: who is listed, what Remove/Revoke send after the confirm, the token shown once.
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiToken, User } from '../../ui/src/api/types';
import { SettingsPage } from '../../ui/src/settings/settings-page';
import { installFakeApi } from './support/fake-api';
import { adminMe, orgAdminMe, renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
  vi.restoreAllMocks();
});

const dev: User = {
  id: '00000000-0000-4000-8000-00000000d001',
  organizationId: orgAdminMe.organizationId,
  name: 'dev',
  email: null,
  role: 'member',
  createdAt: '2026-01-02T00:00:00.000Z',
};
const self: User = { ...orgAdminMe, email: null };
const ciToken: ApiToken = {
  id: '00000000-0000-4000-8000-00000000c001',
  name: 'ci',
  createdAt: '2026-01-03T00:00:00.000Z',
  lastUsedAt: null,
};

describe('Users', () => {
  it('lists users by role, removes another user only after the confirm, never the signed-in one', async () => {
    const user = userEvent.setup();
    let users = [self, dev];
    api.on('GET', '/users', () => ({ items: users }));
    api.on('DELETE', '/users/:id', ({ params }) => {
      users = users.filter((u) => u.id !== params[0]);
      return { status: 204 };
    });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    renderWithApp(<SettingsPage tab="users" />, orgAdminMe);

    const list = await screen.findByRole('list', { name: 'Users' });
    const devItem = within(list).getByRole('listitem', { name: 'User dev' });
    expect(devItem).toHaveTextContent('Member');
    const selfItem = within(list).getByRole('listitem', { name: 'User lead' });
    expect(selfItem).toHaveTextContent('Organization admin');
    expect(within(selfItem).queryByRole('button', { name: 'Remove' })).toBeNull();

    await user.click(within(devItem).getByRole('button', { name: 'Remove' }));
    expect(confirm).toHaveBeenLastCalledWith('Remove user dev and their tokens?');
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(within(devItem).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'User dev' })).toBeNull());
    expect(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([`/users/${dev.id}`]);
    expect(screen.getByText('User removed')).toBeInTheDocument();
  });

  it('adds a user and shows their first token once; the server’s refusal is shown as it said it', async () => {
    const user = userEvent.setup();
    api.on('GET', '/users', () => ({ items: [self] }));
    const bodies: unknown[] = [];
    api.on('POST', '/users', ({ body }) => {
      bodies.push(body);
      return bodies.length === 1
        ? { status: 409, body: { error: 'Conflict', message: 'A user named ops already exists.' } }
        : { status: 201, body: { ...dev, name: 'ops', role: 'org_admin', token: 'kiln_secret_first' } };
    });
    renderWithApp(<SettingsPage tab="users" />, orgAdminMe);

    const form = await screen.findByRole('form', { name: 'Add a user' });
    // Only instance admins may make instance admins.
    expect(within(form).queryByRole('option', { name: /Instance admin/ })).toBeNull();
    await user.type(within(form).getByLabelText('Name'), ' ops ');
    await user.selectOptions(within(form).getByLabelText('Role'), 'org_admin');
    await user.click(within(form).getByRole('button', { name: 'Add user' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('A user named ops already exists.');

    await user.click(within(form).getByRole('button', { name: 'Add user' }));
    const shown = await within(form).findByRole('status');
    expect(shown).toHaveTextContent('API token for ops (shown only now): kiln_secret_first');
    expect(within(shown).getByRole('button', { name: 'Copy token' })).toBeInTheDocument();
    expect(bodies).toEqual([
      { name: 'ops', role: 'org_admin' },
      { name: 'ops', role: 'org_admin' },
    ]);
    expect(within(form).getByLabelText('Name')).toHaveValue('');
  });

  it('offers instance admins the instance admin role', async () => {
    api.on('GET', '/users', () => ({ items: [] }));
    renderWithApp(<SettingsPage tab="users" />, adminMe);
    const form = await screen.findByRole('form', { name: 'Add a user' });
    expect(within(form).getByRole('option', { name: /Instance admin/ })).toBeInTheDocument();
  });
});

describe('My API tokens', () => {
  it('lists the signed-in user’s tokens, makes one shown once and revokes one after the confirm', async () => {
    const user = userEvent.setup();
    let tokens: ApiToken[] = [
      ciToken,
      {
        ...ciToken,
        id: '00000000-0000-4000-8000-00000000c002',
        name: 'laptop',
        lastUsedAt: '2026-01-04T10:00:00.000Z',
      },
    ];
    api.on('GET', '/users/:id/tokens', () => ({ items: tokens }));
    let made: unknown;
    api.on('POST', '/users/:id/tokens', ({ body }) => {
      made = body;
      return {
        status: 201,
        body: { ...ciToken, id: '00000000-0000-4000-8000-00000000c003', name: 'deploy', token: 'kiln_secret_made' },
      };
    });
    api.on('DELETE', '/users/:id/tokens/:tokenId', ({ params }) => {
      tokens = tokens.filter((t) => t.id !== params[1]);
      return { status: 204 };
    });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithApp(<SettingsPage tab="tokens" />, orgAdminMe);

    const list = await screen.findByRole('list', { name: 'API tokens' });
    expect(within(list).getByRole('listitem', { name: 'Token ci' })).toHaveTextContent('never used');
    expect(within(list).getByRole('listitem', { name: 'Token laptop' })).toHaveTextContent('last used');
    expect(api.calls.find((c) => c.method === 'GET')?.path).toBe(`/users/${orgAdminMe.id}/tokens`);

    const form = screen.getByRole('form', { name: 'Make an API token' });
    await user.type(within(form).getByLabelText('Name'), 'deploy');
    await user.click(within(form).getByRole('button', { name: 'Make token' }));
    expect(await within(form).findByRole('status')).toHaveTextContent(
      'API token for lead (shown only now): kiln_secret_made',
    );
    expect(made).toEqual({ name: 'deploy' });

    await user.click(
      within(within(list).getByRole('listitem', { name: 'Token ci' })).getByRole('button', { name: 'Revoke' }),
    );
    expect(confirm).toHaveBeenLastCalledWith('Revoke token ci? Whatever uses it stops working.');
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Token ci' })).toBeNull());
    expect(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      `/users/${orgAdminMe.id}/tokens/${ciToken.id}`,
    ]);
    expect(screen.getByText('Token revoked')).toBeInTheDocument();
  });
});
