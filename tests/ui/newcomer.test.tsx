// @vitest-environment jsdom
// The newcomer path in components: settings screens by role with Test connection, the build page the commit
// status links to, the sign-in page's token path, empty states pointing to settings, stderr progress not red.
import '@testing-library/jest-dom/vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AutoCiModal } from '../../ui/src/auto-ci/auto-ci-modal';
import { BuildPage } from '../../ui/src/builds/build-page';
import { ToastProvider } from '../../ui/src/components/toast';
import { Login } from '../../ui/src/login';
import { LogViewer } from '../../ui/src/logs/log-viewer';
import { ServiceForm } from '../../ui/src/services/service-form';
import { SettingsPage } from '../../ui/src/settings/settings-page';
import { aBuild, aBuildDetail, aService, someAutoCi } from './support/builders';
import { installFakeApi } from './support/fake-api';
import { memberMe, orgAdminMe, renderWithApp } from './support/render-app';
import { installScrollLayout } from './support/scroll-box';

let api: ReturnType<typeof installFakeApi>;
let uninstall: () => void;
beforeAll(() => {
  uninstall = installScrollLayout();
});
afterAll(() => uninstall());
beforeEach(() => {
  api = installFakeApi();
  window.location.hash = '';
  api.on('GET', '/git-providers', () => ({ items: [] }));
  api.on('GET', '/registries', () => ({ items: [] }));
  api.on('GET', '/clusters', () => ({ items: [] }));
});
afterEach(() => {
  cleanup();
  api.restore();
});

const registry = {
  id: '00000000-0000-4000-8000-00000000aaaa',
  organizationId: orgAdminMe.organizationId,
  name: 'local',
  kind: 'oci',
  url: '127.0.0.1:5000',
  project: 'team',
  username: 'kiln',
  hasPassword: true,
  insecure: true,
};

describe('Organization settings', () => {
  it('lets an organization admin add a registry after Test connection shows the registry’s answer', async () => {
    const user = userEvent.setup();
    api.on('POST', '/registry-checks', ({ body }) =>
      (body as { password: string }).password === 'right'
        ? { host: '127.0.0.1:5000', authenticated: true, message: '127.0.0.1:5000 accepted the login of user "kiln".' }
        : {
            status: 422,
            body: { error: 'Error', message: 'Registry authentication failed: 127.0.0.1:5000 refused the login.' },
          },
    );
    let created: unknown;
    api.on('POST', '/registries', ({ body }) => {
      created = body;
      return { status: 201, body: { ...registry, ...(body as object) } };
    });
    renderWithApp(<SettingsPage tab="registries" />, orgAdminMe);
    expect(await screen.findByText(/No registry yet/)).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Add a registry' });
    await user.type(within(form).getByLabelText('Name'), 'local');
    await user.type(within(form).getByLabelText('Address'), '127.0.0.1:5000');
    await user.type(within(form).getByLabelText('Project'), 'team');
    await user.type(within(form).getByLabelText('Username'), 'kiln');
    await user.type(within(form).getByLabelText('Password or token'), 'wrong');
    await user.click(within(form).getByRole('checkbox'));
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('refused the login');

    await user.clear(within(form).getByLabelText('Password or token'));
    await user.type(within(form).getByLabelText('Password or token'), 'right');
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByRole('status', { name: 'Registry test: works' })).toHaveTextContent(
      'accepted the login of user "kiln"',
    );
    await user.click(within(form).getByRole('button', { name: 'Add registry' }));
    await waitFor(() =>
      expect(created).toEqual({
        name: 'local',
        kind: 'oci',
        url: '127.0.0.1:5000',
        project: 'team',
        username: 'kiln',
        password: 'right',
        insecure: true,
      }),
    );
  });

  it('connects a plain git server unverified and tests it with a clone of one repository', async () => {
    const user = userEvent.setup();
    let checked: unknown;
    api.on('POST', '/git-checks', ({ body }) => {
      checked = body;
      return {
        repositoryUrl: 'http://git.test/team/app.git',
        branches: ['main'],
        usedToken: true,
        message: 'git reached it: 1 branch.',
      };
    });
    let created: unknown;
    api.on('POST', '/git-providers', ({ body }) => {
      created = body;
      return {
        status: 201,
        body: { id: 'g1', kind: 'github', baseUrl: 'http://git.test', hasToken: true, check: null },
      };
    });
    renderWithApp(<SettingsPage tab="git" />, orgAdminMe);
    const form = await screen.findByRole('form', { name: 'Add a Git connection' });
    await user.selectOptions(within(form).getByLabelText('Git server'), 'plain');
    await user.type(within(form).getByLabelText('Address'), 'http://git.test');
    await user.type(within(form).getByLabelText('Access token'), 'tok');
    await user.type(within(form).getByLabelText('Repository to test with'), 'http://git.test/team/app.git');
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByRole('status', { name: 'Git connection test: works' })).toHaveTextContent(
      'git reached it: 1 branch. (main)',
    );
    expect(checked).toEqual({
      repositoryUrl: 'http://git.test/team/app.git',
      token: 'tok',
      baseUrl: 'http://git.test',
    });
    await user.click(within(form).getByRole('button', { name: 'Add connection' }));
    await waitFor(() =>
      expect(created).toEqual({
        kind: 'github',
        baseUrl: 'http://git.test',
        token: 'tok',
        verify: false,
        providerApi: false,
      }),
    );
  });

  it('shows a GitHub token check failure in GitHub’s words on a stored connection', async () => {
    const user = userEvent.setup();
    api.on('GET', '/git-providers', () => ({
      items: [{ id: 'g1', organizationId: 'o', kind: 'github', baseUrl: 'https://github.com', hasToken: true }],
    }));
    api.on('POST', '/provider-checks/:id', () => ({
      status: 422,
      body: { error: 'Error', message: 'GitHub rejected the token (401 Bad credentials).' },
    }));
    renderWithApp(<SettingsPage tab="git" />, orgAdminMe);
    const row = await screen.findByRole('listitem', { name: 'GitHub https://github.com' });
    await user.click(within(row).getByRole('button', { name: 'Test connection' }));
    expect(await within(row).findByRole('alert')).toHaveTextContent('GitHub rejected the token (401 Bad credentials).');
  });

  it('shows members the registries without add forms, test buttons or the Users screen', async () => {
    api.on('GET', '/registries', () => ({ items: [registry] }));
    renderWithApp(<SettingsPage tab="registries" />, memberMe);
    expect(await screen.findByRole('listitem', { name: 'Registry local' })).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add a registry' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Test connection' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull();
    expect(screen.getByRole('link', { name: 'My API tokens' })).toBeInTheDocument();
  });
});

describe('Monorepo selection', () => {
  it('preselects detected sub-projects and refuses to save a monorepo with none selected', async () => {
    const user = userEvent.setup();
    const service = aService({ name: 'mono' });
    let settings = someAutoCi(service);
    const puts: unknown[] = [];
    api.on('GET', '/services/:id/auto-ci', () => settings);
    api.on('PUT', '/services/:id/auto-ci', ({ body }) => {
      puts.push(body);
      settings = { ...settings, ...(body as object) };
      return settings;
    });
    api.on('POST', '/services/:id/detect', () => ({
      language: null,
      framework: null,
      packageManager: null,
      buildType: 'mono',
      typescript: false,
      dockerfilePath: null,
      subprojects: [
        { name: 'web', path: 'web', dockerfilePath: 'web/Dockerfile', language: null, framework: null },
        { name: 'api', path: 'api', dockerfilePath: 'api/Dockerfile', language: 'Go', framework: null },
      ],
    }));
    const { unmount } = renderWithApp(<AutoCiModal service={service} onClose={() => {}} />, orgAdminMe);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('tab', { name: 'Detect Services' }));
    await user.click(within(dialog).getByRole('button', { name: 'Detect Services' }));
    const table = await within(dialog).findByRole('table');
    expect(within(table).getByRole('checkbox', { name: 'Build web' })).toBeChecked();
    expect(within(table).getByRole('checkbox', { name: 'Build api' })).toBeChecked();
    await user.click(within(table).getByRole('checkbox', { name: 'Build web' }));
    await user.click(within(table).getByRole('checkbox', { name: 'Build api' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('select at least one sub-project');
    expect(puts).toEqual([]);

    await user.click(within(table).getByRole('checkbox', { name: 'Build api' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toMatchObject({ subprojects: [{ name: 'api', path: 'api', dockerfilePath: 'api/Dockerfile' }] });
    unmount();

    // Reopened without detecting again, the saved selection is there.
    renderWithApp(<AutoCiModal service={service} onClose={() => {}} />, orgAdminMe);
    const again = await screen.findByRole('dialog');
    await user.click(await within(again).findByRole('tab', { name: 'Detect Services' }));
    expect(within(again).getByRole('checkbox', { name: 'Build api' })).toBeChecked();
    expect(within(again).queryByRole('checkbox', { name: 'Build web' })).toBeNull();
  });
});

describe('Empty states and sign-in', () => {
  it('the New service form links to adding a registry when there is none', async () => {
    renderWithApp(<ServiceForm onSaved={() => {}} />, orgAdminMe);
    const link = await screen.findByRole('link', { name: 'add one' });
    expect(link).toHaveAttribute('href', '#/settings/registries');
  });

  it('the sign-in page names the token file the server wrote', async () => {
    api.on('GET', '/sign-in', () => ({ adminTokenFile: '/var/lib/kiln/admin-token' }));
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <ToastProvider>
          <Login onSignedIn={() => {}} />
        </ToastProvider>
      </QueryClientProvider>,
    );
    expect(await screen.findByText('/var/lib/kiln/admin-token')).toBeInTheDocument();
    expect(screen.queryByText('.kiln/admin-token')).toBeNull();
  });
});

describe('Build page', () => {
  it('shows a monorepo parent with its children’s images and digests, and copies a pinned reference', async () => {
    const user = userEvent.setup();
    const digest = 'sha256:' + 'ab'.repeat(32);
    const parent = aBuildDetail(
      {
        id: '00000000-0000-4000-8000-00000000b001',
        status: 'Succeeded',
        commitMessage: 'Split web and api',
        images: [],
        serviceName: 'mono',
      },
      [
        aBuild({
          subproject: 'web',
          status: 'Succeeded',
          images: ['127.0.0.1:5000/team/mono-web:main', '127.0.0.1:5000/team/mono-web:abc123'],
          digest,
        }),
        aBuild({ subproject: 'api', status: 'Failed', images: [], error: 'Dockerfile not found: api/Dockerfile' }),
      ],
    );
    api.on('GET', '/builds/:id', () => ({ status: 200, body: parent }));
    api.on('GET', '/builds/:id/logs', () => ({ lines: [], nextAfterSeq: -1, hasMore: false, status: 'Succeeded' }));
    renderWithApp(<BuildPage buildId={parent.id} />);
    expect(await screen.findByRole('heading', { name: 'Split web and api' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Pushed images' });
    expect(within(table).getAllByText(digest)).toHaveLength(2);
    expect(within(table).getByText('127.0.0.1:5000/team/mono-web:main')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'mono' })).toHaveAttribute(
      'href',
      `#/services/${parent.serviceId}/builds/${parent.id}`,
    );
    expect(screen.getByRole('list', { name: 'Sub-project builds' })).toHaveTextContent('Dockerfile not found');
    await user.click(within(table).getAllByRole('button', { name: /Digest/ })[0]!);
    expect(await navigator.clipboard.readText()).toBe(`127.0.0.1:5000/team/mono-web@${digest}`);
  });

  it('without a Temporal Web UI shows the workflow events Kiln read, with activity names and failures', async () => {
    const user = userEvent.setup();
    const build = aBuildDetail({ status: 'Failed', temporalUrl: null, workflowId: 'build-123' });
    api.on('GET', '/builds/:id', () => ({ status: 200, body: build }));
    api.on('GET', '/builds/:id/logs', () => ({ lines: [], nextAfterSeq: -1, hasMore: false, status: 'Failed' }));
    api.on('GET', '/builds/:id/workflow-history', () => ({
      workflowId: 'build-123',
      events: [
        {
          id: 1,
          type: 'WorkflowExecutionStarted',
          time: new Date().toISOString(),
          name: 'buildWorkflow',
          failure: null,
        },
        { id: 5, type: 'ActivityTaskScheduled', time: null, name: 'cloneRepository', failure: null },
        { id: 7, type: 'ActivityTaskFailed', time: null, name: 'cloneRepository', failure: 'Git clone failed: 401' },
      ],
    }));
    renderWithApp(<BuildPage buildId={build.id} />);
    await user.click(await screen.findByRole('button', { name: 'Show its event history' }));
    const table = await screen.findByRole('table', { name: 'Workflow event history' });
    expect(within(table).getAllByText('cloneRepository')).toHaveLength(2);
    expect(within(table).getByText('Git clone failed: 401')).toBeInTheDocument();
  });
});

describe('Build log colours', () => {
  it('paints buildah’s stderr progress as ordinary text and only error lines red', () => {
    render(
      <ToastProvider>
        <LogViewer
          label="log"
          live={false}
          height={200}
          emptyText=""
          lines={[
            { seq: 0, stream: 'stderr', text: 'STEP 1/2: FROM scratch' },
            { seq: 1, stream: 'stderr', text: 'Copying blob sha256:1234 done' },
            { seq: 2, stream: 'stderr', text: 'Error: building at STEP "RUN make": exit status 2' },
          ]}
        />
      </ToastProvider>,
    );
    expect(screen.getByText('STEP 1/2: FROM scratch').closest('.log-line')).not.toHaveClass('log-error');
    expect(screen.getByText('Copying blob sha256:1234 done').closest('.log-line')).not.toHaveClass('log-error');
    expect(screen.getByText(/exit status 2/).closest('.log-line')).toHaveClass('log-error');
  });
});
