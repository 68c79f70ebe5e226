// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookInfo } from '../../ui/src/api/types';
import { AutoCiModal } from '../../ui/src/auto-ci/auto-ci-modal';
import { aService, someAutoCi } from './support/builders';
import { installFakeApi } from './support/fake-api';
import { memberMe, orgAdminMe, renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
});

const service = aService({ name: 'shop' });
const webhook = (urls: WebhookInfo['urls']): WebhookInfo => ({
  provider: 'gitlab',
  urls,
  secretToken: 'whs_secret_123',
  signingToken: null,
  events: ['Push events'],
  rotatedAt: new Date().toISOString(),
  plainGitServer: null,
});

function serve(settings = someAutoCi(service)) {
  api.on('GET', '/services/:id/auto-ci', () => settings);
  api.on('PUT', '/services/:id/auto-ci', ({ body }) => ({ ...settings, ...(body as object) }));
}
const puts = () => api.calls.filter((c) => c.method === 'PUT' && c.path === `/services/${service.id}/auto-ci`);

describe('Auto CI modal', () => {
  it('shows the registry from the service and saves settings with build args', async () => {
    const user = userEvent.setup();
    serve();
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: 'Auto CI — shop' });
    expect(await within(dialog).findByText('harbor.example.com')).toBeInTheDocument();
    expect(within(dialog).getByText('Harbor')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('switch', { name: 'Enable Auto CI' }));
    const branches = within(dialog).getByLabelText('Git branch');
    await user.clear(branches);
    await user.type(branches, 'main, release/*');
    await user.selectOptions(within(dialog).getByLabelText('Build profile'), 'large');
    await user.click(within(dialog).getByRole('button', { name: 'Add build argument' }));
    await user.type(within(dialog).getByLabelText('Build argument 1 name'), 'NODE_ENV');
    await user.type(within(dialog).getByLabelText('Build argument 1 value'), 'production');
    await user.click(within(dialog).getByRole('checkbox', { name: /Auto-deploy/ }));
    // A new service supersedes running builds (the API's default); this user turns it off.
    const supersede = within(dialog).getByRole('checkbox', { name: /cancels the running build/ });
    expect(supersede).toBeChecked();
    await user.click(supersede);
    await user.click(within(dialog).getByRole('checkbox', { name: 'Build draft pull requests (GitHub)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Auto CI settings have been saved')).toBeInTheDocument();
    expect(puts().at(-1)?.body).toEqual({
      enabled: true,
      branchFilter: ['main', 'release/*'],
      buildProfile: 'large',
      dockerfilePath: 'Dockerfile',
      buildArgs: { NODE_ENV: 'production' },
      autoDeploy: true,
      imageName: null,
      imagePrefix: null,
      subprojects: [],
      buildChangedOnly: false,
      supersedeRunning: false,
      submodules: false,
      buildForkMergeRequests: false,
      buildDraftPullRequests: true,
    });
  });

  it('refuses a malformed build argument without calling the server, and shows server refusals', async () => {
    const user = userEvent.setup();
    serve();
    api.on('PUT', '/services/:id/auto-ci', () => ({
      status: 400,
      body: { error: 'BadRequest', message: 'Auto CI cannot be enabled yet: set a registry on the service.' },
    }));
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('button', { name: 'Add build argument' }));
    await user.type(within(dialog).getByLabelText('Build argument 1 name'), 'BAD NAME');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('must be an identifier');
    expect(puts()).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Remove build argument BAD NAME' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Auto CI cannot be enabled yet');
  });

  it('detects a monorepo and saves the chosen sub-projects with edited Dockerfile paths', async () => {
    const user = userEvent.setup();
    serve();
    api.on('POST', '/services/:id/detect', () => ({
      language: 'Node.js',
      framework: 'React',
      packageManager: 'pnpm',
      buildType: 'mono',
      typescript: true,
      dockerfilePath: null,
      subprojects: [
        {
          name: 'frontend',
          path: 'frontend',
          dockerfilePath: 'frontend/Dockerfile',
          language: 'Node.js',
          framework: 'React',
        },
        { name: 'backend', path: 'backend', dockerfilePath: 'backend/Dockerfile', language: 'Go', framework: null },
      ],
    }));
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.type(await within(dialog).findByLabelText('Image prefix (monorepos)'), 'kiwi-');
    await user.click(within(dialog).getByRole('tab', { name: 'Detect Services' }));
    await user.click(within(dialog).getByRole('button', { name: 'Detect Services' }));
    expect(await within(dialog).findByText('Mono-repo')).toBeInTheDocument();
    expect(within(dialog).getByText('pnpm')).toBeInTheDocument();
    expect(within(dialog).getByText('Yes')).toBeInTheDocument();
    const table = within(dialog).getByRole('table');
    expect(within(table).getByText('kiwi-backend')).toBeInTheDocument();
    // Detected sub-projects start selected; the user leaves the frontend out.
    expect(within(table).getByRole('checkbox', { name: 'Build backend' })).toBeChecked();
    await user.click(within(table).getByRole('checkbox', { name: 'Build frontend' }));
    const path = within(table).getByLabelText('Dockerfile path of backend');
    await user.clear(path);
    await user.type(path, 'backend/docker/Dockerfile');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await screen.findByText('Auto CI settings have been saved');
    expect(puts().at(-1)?.body).toMatchObject({
      imagePrefix: 'kiwi-',
      subprojects: [{ name: 'backend', path: 'backend', dockerfilePath: 'backend/docker/Dockerfile' }],
    });
  });

  it('shows the saved sub-project selection on reopen, and a new Detect keeps it instead of selecting all', async () => {
    const user = userEvent.setup();
    const saved = { name: 'backend', path: 'backend', dockerfilePath: 'backend/docker/Dockerfile' };
    serve({ ...someAutoCi(service), subprojects: [saved] });
    api.on('POST', '/services/:id/detect', () => ({
      language: 'Node.js',
      framework: null,
      packageManager: 'npm',
      buildType: 'mono',
      typescript: false,
      dockerfilePath: null,
      subprojects: [
        {
          name: 'frontend',
          path: 'frontend',
          dockerfilePath: 'frontend/Dockerfile',
          language: 'Node.js',
          framework: null,
        },
        { name: 'backend', path: 'backend', dockerfilePath: 'backend/Dockerfile', language: 'Go', framework: null },
      ],
    }));
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('tab', { name: 'Detect Services' }));
    // Before any new detection the saved row is there, checked, with its saved Dockerfile path.
    const table = await within(dialog).findByRole('table');
    expect(within(table).getByRole('checkbox', { name: 'Build backend' })).toBeChecked();
    expect(within(table).getByLabelText('Dockerfile path of backend')).toHaveValue('backend/docker/Dockerfile');
    await user.click(within(dialog).getByRole('button', { name: 'Detect Services' }));
    const detected = await within(dialog).findByRole('checkbox', { name: 'Build frontend' });
    expect(detected).not.toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'Build backend' })).toBeChecked();
    expect(within(dialog).getByLabelText('Dockerfile path of backend')).toHaveValue('backend/docker/Dockerfile');
  });

  it('moves between tabs with the arrow keys, wrapping around, and keeps only the current tab in the tab order', async () => {
    const user = userEvent.setup();
    serve();
    api.on('GET', '/services/:id/webhook', () => webhook([{ environment: 'production', url: 'https://kiln.test/h' }]));
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />, orgAdminMe);
    const dialog = await screen.findByRole('dialog');
    const settingsTab = await within(dialog).findByRole('tab', { name: 'Settings' });
    expect(
      within(dialog)
        .getAllByRole('tab')
        .map((t) => t.tabIndex),
    ).toEqual([0, -1, -1]);
    settingsTab.focus();
    await user.keyboard('{ArrowLeft}');
    const webhookTab = within(dialog).getByRole('tab', { name: 'Webhook' });
    expect(webhookTab).toHaveFocus();
    expect(webhookTab).toHaveAttribute('aria-selected', 'true');
    expect(await within(dialog).findByRole('tabpanel')).toHaveAccessibleName('Webhook');
    await user.keyboard('{ArrowRight}');
    expect(settingsTab).toHaveFocus();
    expect(settingsTab).toHaveAttribute('aria-selected', 'true');
  });

  it('refuses to save a detected monorepo with no sub-project selected, and opens Detect Services to pick one', async () => {
    const user = userEvent.setup();
    serve();
    api.on('POST', '/services/:id/detect', () => ({
      language: 'Go',
      framework: null,
      packageManager: null,
      buildType: 'mono',
      typescript: false,
      dockerfilePath: null,
      subprojects: [{ name: 'api', path: 'api', dockerfilePath: null, language: 'Go', framework: null }],
    }));
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('tab', { name: 'Detect Services' }));
    await user.click(within(dialog).getByRole('button', { name: 'Detect Services' }));
    // With no Dockerfile anywhere every sub-project starts selected, at <path>/Dockerfile.
    const box = await within(dialog).findByRole('checkbox', { name: 'Build api' });
    expect(box).toBeChecked();
    expect(within(dialog).getByLabelText('Dockerfile path of api')).toHaveValue('api/Dockerfile');
    await user.click(box);
    await user.click(within(dialog).getByRole('tab', { name: 'Settings' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'This repository is a monorepo: select at least one sub-project to build in Detect Services.',
    );
    expect(within(dialog).getByRole('tab', { name: 'Detect Services' })).toHaveAttribute('aria-selected', 'true');
    expect(puts()).toHaveLength(0);
  });

  it('takes the Dockerfile path a single repository was detected with, unless the user changed the default', async () => {
    const user = userEvent.setup();
    serve();
    api.on('POST', '/services/:id/detect', () => ({
      language: 'Go',
      framework: null,
      packageManager: null,
      buildType: 'single',
      typescript: false,
      dockerfilePath: 'build/Dockerfile',
      subprojects: [],
    }));
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('tab', { name: 'Detect Services' }));
    await user.click(within(dialog).getByRole('button', { name: 'Detect Services' }));
    expect(await within(dialog).findByText('./build/Dockerfile')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('tab', { name: 'Settings' }));
    expect(within(dialog).getByLabelText('Dockerfile path')).toHaveValue('build/Dockerfile');
  });

  it('shows the webhook URL and token with copy buttons, instructions, and rotates the token', async () => {
    const user = userEvent.setup();
    serve();
    let token = 'whs_secret_123';
    api.on('GET', '/services/:id/webhook', () => ({
      ...webhook([
        { environment: 'production', url: 'https://kiln.example.com/api/v1/webhook/gitlab' },
        { environment: 'local', url: 'https://tunnel.example.com/api/v1/webhook/gitlab' },
      ]),
      secretToken: token,
    }));
    api.on('POST', '/services/:id/webhook/rotate', () => {
      token = 'whs_rotated_456';
      return {
        ...webhook([{ environment: 'production', url: 'https://kiln.example.com/api/v1/webhook/gitlab' }]),
        secretToken: token,
      };
    });
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('tab', { name: 'Webhook' }));
    expect(await within(dialog).findByLabelText('Production')).toHaveValue(
      'https://kiln.example.com/api/v1/webhook/gitlab',
    );
    expect(within(dialog).getByLabelText('Local (admin only)')).toBeInTheDocument();
    await user.click(within(dialog).getAllByRole('button', { name: 'Copy URL' })[0]!);
    expect(await navigator.clipboard.readText()).toBe('https://kiln.example.com/api/v1/webhook/gitlab');
    await user.click(within(dialog).getByRole('button', { name: 'Copy Token' }));
    expect(await navigator.clipboard.readText()).toBe('whs_secret_123');
    expect(within(dialog).getByText('Register the webhook in GitLab')).toBeInTheDocument();
    expect(within(dialog).getByText('Register the webhook in GitHub')).toBeInTheDocument();
    window.confirm = () => true;
    await user.click(within(dialog).getByRole('button', { name: 'Rotate token' }));
    await waitFor(() => expect(within(dialog).getByLabelText('Secret token')).toHaveValue('whs_rotated_456'));
  });

  it('does not offer members the Webhook tab: its secret is for organization admins', async () => {
    serve();
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />, memberMe);
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByRole('tab', { name: 'Settings' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('tab', { name: 'Webhook' })).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.path.endsWith('/webhook'))).toBe(false);
  });

  it('offers organization admins the Webhook tab', async () => {
    const user = userEvent.setup();
    serve();
    api.on('GET', '/services/:id/webhook', () =>
      webhook([{ environment: 'production', url: 'https://kiln.example.com/api/v1/webhook/gitlab' }]),
    );
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />, orgAdminMe);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('tab', { name: 'Webhook' }));
    expect(await within(dialog).findByLabelText('Production')).toBeInTheDocument();
  });
});

describe('Auto CI secret build arguments', () => {
  /** A server that keeps secret names only, as the real one does (values are never answered). */
  function serveSecrets(names: string[]) {
    let stored = [...names];
    api.on('GET', '/services/:id/auto-ci', () => someAutoCi(service, { secretBuildArgNames: stored }));
    api.on('PUT', '/services/:id/auto-ci', ({ body }) => {
      const { secretBuildArgs = {}, ...rest } = body as { secretBuildArgs?: Record<string, string | null> };
      const next = new Set(stored);
      for (const [name, value] of Object.entries(secretBuildArgs)) {
        if (value === null) next.delete(name);
        else next.add(name);
      }
      stored = [...next].sort();
      return { ...someAutoCi(service), ...rest, secretBuildArgNames: stored };
    });
  }

  it('sends a row marked Secret as a secret build arg, hides its value, and shows it as set after saving', async () => {
    const user = userEvent.setup();
    serveSecrets([]);
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('button', { name: 'Add build argument' }));
    await user.type(within(dialog).getByLabelText('Build argument 1 name'), 'NPM_TOKEN');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Build argument 1 is secret' }));
    const value = within(dialog).getByLabelText('Build argument 1 value');
    expect(value).toHaveAttribute('type', 'password');
    await user.type(value, 'npm_secret_value');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Auto CI settings have been saved')).toBeInTheDocument();
    expect(puts().at(-1)?.body).toMatchObject({ buildArgs: {}, secretBuildArgs: { NPM_TOKEN: 'npm_secret_value' } });
    expect(await within(dialog).findByText('•••• (set)')).toBeInTheDocument();
    expect(within(dialog).queryByDisplayValue('npm_secret_value')).not.toBeInTheDocument();

    // Saving again without touching the secret leaves it out of the body: the server keeps it.
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts().at(-1)?.body).not.toHaveProperty('secretBuildArgs');
  });

  it('shows a saved secret as "•••• (set)" with Replace and Remove, and sends only what changed', async () => {
    const user = userEvent.setup();
    serveSecrets(['NPM_TOKEN', 'SENTRY_TOKEN']);
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findAllByText('•••• (set)')).toHaveLength(2);
    expect(within(dialog).getByLabelText('Build argument 1 name')).toHaveValue('NPM_TOKEN');
    expect(within(dialog).getByRole('checkbox', { name: 'Build argument 1 is secret' })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'Build argument 1 is secret' })).toBeDisabled();

    await user.click(within(dialog).getByRole('button', { name: 'Replace secret NPM_TOKEN' }));
    await user.type(within(dialog).getByLabelText('Build argument 1 value'), 'abc');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('NPM_TOKEN needs a value of at least 4 characters');
    expect(puts()).toHaveLength(0);

    await user.type(within(dialog).getByLabelText('Build argument 1 value'), 'defg');
    await user.click(within(dialog).getByRole('button', { name: 'Remove build argument SENTRY_TOKEN' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]?.body).toMatchObject({ secretBuildArgs: { NPM_TOKEN: 'abcdefg', SENTRY_TOKEN: null } });
    expect(await within(dialog).findAllByText('•••• (set)')).toHaveLength(1);
    expect(within(dialog).queryByDisplayValue('SENTRY_TOKEN')).not.toBeInTheDocument();
  });
});
