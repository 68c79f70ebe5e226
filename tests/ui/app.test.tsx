// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../ui/src/app';
import { ToastProvider } from '../../ui/src/components/toast';
import { adminMe } from './support/render-app';
import { installFakeApi } from './support/fake-api';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
  localStorage.clear();
  window.location.hash = '';
});
afterEach(() => {
  cleanup();
  api.restore();
});

function renderApp() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </QueryClientProvider>,
  );
}

describe('Sign-in', () => {
  it('asks for a token, rejects a wrong one with the server message, and keeps a good one', async () => {
    const user = userEvent.setup();
    api.on('GET', '/me', () => ({
      status: 401,
      body: { error: 'Unauthorized', message: 'Invalid API token: it does not exist or was revoked.' },
    }));
    api.on('GET', '/services', () => ({ items: [] }));
    api.on('GET', '/git-providers', () => ({ items: [] }));
    renderApp();
    await user.type(screen.getByLabelText('API token'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('does not exist or was revoked');
    expect(localStorage.getItem('kiln.apiToken')).toBeNull();

    api.on('GET', '/me', () => adminMe);
    await user.clear(screen.getByLabelText('API token'));
    await user.type(screen.getByLabelText('API token'), 'good-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Services' })).toBeInTheDocument();
    expect(localStorage.getItem('kiln.apiToken')).toBe('good-token');
    expect(api.calls.filter((c) => c.path === '/services').every((c) => c.auth === 'Bearer good-token')).toBe(true);
  });

  it('shows the instance notices (builds without isolation) on every screen', async () => {
    const user = userEvent.setup();
    const notice = 'Builds run without isolation (KILN_LOCAL_ISOLATION=chroot): … Build trusted code only.';
    api.on('GET', '/me', () => ({ ...adminMe, notices: [notice] }));
    api.on('GET', '/services', () => ({ items: [] }));
    api.on('GET', '/git-providers', () => ({ items: [] }));
    renderApp();
    await user.type(screen.getByLabelText('API token'), 'good-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Services' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(notice);
  });

  it('signs out with an explanation when the stored token stops working', async () => {
    localStorage.setItem('kiln.apiToken', 'old-token');
    api.on('GET', '/me', () => ({ status: 401, body: { error: 'Unauthorized', message: 'Invalid API token.' } }));
    renderApp();
    expect(await screen.findByRole('alert')).toHaveTextContent(/sign in again/);
    expect(screen.getByLabelText('API token')).toBeInTheDocument();
    expect(localStorage.getItem('kiln.apiToken')).toBeNull();
  });

  it('names who is signed in, signs out on request, and names the admin token file on the sign-in page', async () => {
    const user = userEvent.setup();
    localStorage.setItem('kiln.apiToken', 'good-token');
    api.on('GET', '/me', () => adminMe);
    api.on('GET', '/services', () => ({ items: [] }));
    api.on('GET', '/git-providers', () => ({ items: [] }));
    api.on('GET', '/sign-in', () => ({ adminTokenFile: '/var/lib/kiln/admin-token' }));
    renderApp();
    const header = await screen.findByRole('banner');
    expect(header).toHaveTextContent('admin (instance_admin)');
    expect(screen.getByRole('navigation', { name: 'Main' })).toHaveTextContent('ServicesSettingsAPI');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('API token')).toBeInTheDocument();
    expect(localStorage.getItem('kiln.apiToken')).toBeNull();
    expect(await screen.findByText('/var/lib/kiln/admin-token')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('signs out with an explanation when the server stops accepting the token mid-session', async () => {
    localStorage.setItem('kiln.apiToken', 'good-token');
    api.on('GET', '/me', () => adminMe);
    api.on('GET', '/git-providers', () => ({ items: [] }));
    api.on('GET', '/services', () => ({ status: 401, body: { error: 'Unauthorized', message: 'Token revoked.' } }));
    renderApp();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Kiln no longer accepts your token (revoked or expired); sign in again.',
    );
    expect(screen.getByLabelText('API token')).toBeInTheDocument();
    expect(localStorage.getItem('kiln.apiToken')).toBeNull();
  });
});
