// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookInfo } from '../../ui/src/api/types';
import { ServicesPage } from '../../ui/src/services/services-page';
import { aService, someAutoCi } from './support/builders';
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

const banner = /Save the Auto CI settings first/;
const webhook = (patch: Partial<WebhookInfo> = {}): WebhookInfo => ({
  provider: 'github',
  urls: [{ environment: 'production', url: 'https://kiln.example.com/api/v1/webhook/github' }],
  secretToken: 'whs_secret_123',
  signingToken: null,
  events: ['push', 'pull_request'],
  rotatedAt: new Date().toISOString(),
  plainGitServer: null,
  ...patch,
});

/** A service as the API has it right after creation: its settings row is as old as the service. */
function serve(options: { savedBefore?: boolean; info?: WebhookInfo } = {}) {
  const createdAt = new Date(Date.now() - 60_000).toISOString();
  const service = aService({ name: 'shop', createdAt });
  let settings = someAutoCi(service, {
    updatedAt: options.savedBefore ? new Date().toISOString() : createdAt,
  });
  api.on('GET', '/services', () => ({ items: [service] }));
  api.on('GET', '/git-providers', () => ({
    items: [{ id: 'p1', organizationId: 'o', kind: 'gitlab', baseUrl: 'https://gitlab.example.com', hasToken: true }],
  }));
  api.on('GET', '/services/:id/auto-ci', () => settings);
  // Like the real API: a save moves updatedAt.
  api.on('PUT', '/services/:id/auto-ci', ({ body }) => {
    settings = { ...settings, ...(body as object), updatedAt: new Date().toISOString() };
    return settings;
  });
  api.on('GET', '/services/:id/webhook', () => options.info ?? webhook());
  return service;
}

async function openWebhookTab() {
  const user = userEvent.setup();
  renderWithApp(<ServicesPage creating={false} />);
  const button = await screen.findByRole('button', { name: 'Auto CI for shop' });
  await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
  await user.click(button);
  const dialog = await screen.findByRole('dialog', { name: 'Auto CI — shop' });
  await user.click(within(dialog).getByRole('tab', { name: 'Webhook' }));
  await within(dialog).findByLabelText('Secret token');
  return { user, dialog };
}

const toasts = () => Array.from(document.querySelectorAll('.toasts .toast')).map((t) => t.textContent);

describe('Webhook tab', () => {
  it('asks to save the Auto CI settings first, and stops asking once they are saved, with one toast per save', async () => {
    serve();
    const { user, dialog } = await openWebhookTab();
    expect(within(dialog).getByText(banner)).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await screen.findByText('Auto CI settings have been saved');
    await waitFor(() => expect(within(dialog).queryByText(banner)).not.toBeInTheDocument());
    expect(toasts()).toEqual(['Auto CI settings have been saved']);

    // A second save is a second toast, not a third and fourth.
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(toasts()).toHaveLength(2));
    expect(toasts()).toEqual(['Auto CI settings have been saved', 'Auto CI settings have been saved']);
    expect(api.calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
  });

  it('shows no banner for settings saved earlier', async () => {
    serve({ savedBefore: true });
    const { dialog } = await openWebhookTab();
    expect(within(dialog).queryByText(banner)).not.toBeInTheDocument();
  });

  it('says that a plain git server gets no one-click registration and no commit statuses', async () => {
    const message =
      'https://git.example.com is a plain git server (no GitLab/GitHub API): Kiln cannot register its webhook there: add it in the server by hand with the URL and secret shown in this tab. Kiln posts no commit statuses there either.';
    serve({ savedBefore: true, info: webhook({ plainGitServer: message }) });
    const { dialog } = await openWebhookTab();
    expect(within(dialog).getByRole('note')).toHaveTextContent(message);
  });

  it('shows no plain-git note for a GitHub or GitLab connection', async () => {
    serve({ savedBefore: true });
    const { dialog } = await openWebhookTab();
    expect(within(dialog).queryByRole('note')).not.toBeInTheDocument();
  });
});
