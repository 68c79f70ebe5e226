// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsPage } from '../../ui/src/settings/settings-page';
import { installFakeApi } from './support/fake-api';
import { orgAdminMe, renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
});

const connection = (patch: Record<string, unknown>) => ({
  id: 'g1',
  organizationId: 'o',
  kind: 'github',
  baseUrl: 'https://git.example.com',
  hasToken: true,
  providerApi: true,
  ...patch,
});

describe('Git connections to a plain git server', () => {
  it('are listed as plain git servers that only clone, tested with a clone instead of an API token check', async () => {
    const user = userEvent.setup();
    api.on('GET', '/git-providers', () => ({ items: [connection({ providerApi: false })] }));
    api.on('POST', '/git-checks', () => ({
      repositoryUrl: 'https://git.example.com/team/app.git',
      branches: ['main'],
      usedToken: true,
      message: 'Cloned: the repository answers',
    }));
    renderWithApp(<SettingsPage tab="git" />, orgAdminMe);
    const row = await screen.findByRole('listitem', { name: 'Plain git server https://git.example.com' });
    expect(row).toHaveTextContent(
      "webhooks like GitHub's; clones only: no commit statuses, pipelines or webhook registration",
    );
    expect(within(row).queryByRole('button', { name: 'Test connection' })).toBeNull();
    await user.type(within(row).getByLabelText('Test a clone of'), 'https://git.example.com/team/app.git');
    await user.click(within(row).getByRole('button', { name: 'Test clone' }));
    expect(await within(row).findByText(/Cloned: the repository answers/)).toBeInTheDocument();
    expect(api.calls.some((c) => c.path.startsWith('/provider-checks'))).toBe(false);
  });

  it('keeps the API token check for GitHub and GitLab connections', async () => {
    api.on('GET', '/git-providers', () => ({ items: [connection({ baseUrl: 'https://github.com' })] }));
    renderWithApp(<SettingsPage tab="git" />, orgAdminMe);
    const row = await screen.findByRole('listitem', { name: 'GitHub https://github.com' });
    expect(within(row).getByRole('button', { name: 'Test connection' })).toBeInTheDocument();
    expect(row).not.toHaveTextContent('clones only');
  });
});
