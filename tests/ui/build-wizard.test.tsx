// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildWizard } from '../../ui/src/build-wizard/build-wizard';
import type { DockerfileProposal } from '../../ui/src/api/types';
import { installFakeApi } from './support/fake-api';
import { renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
});

const proposal: DockerfileProposal = {
  dockerfile: 'FROM node:24-slim\nCMD ["node", "server.js"]\n',
  dockerignore: '.git\nnode_modules\n',
  reasons: [
    'Install: npm ci --no-audit --no-fund, because package-lock.json is committed (exactly the locked versions).',
  ],
  detected: {
    path: '',
    language: 'Node.js',
    framework: 'Express',
    packageManager: 'npm',
    typescript: false,
    dockerfilePath: null,
    port: 3000,
    buildType: 'single',
    subprojects: [],
  },
  ref: 'refs/heads/main',
  sha: 'abc',
};

describe('Build Wizard', () => {
  it('shows the proposal and why, stores the edited Dockerfile, and opens (then finds) the merge request', async () => {
    const user = userEvent.setup();
    api.on('POST', '/services/:id/dockerfile', () => proposal);
    api.on('PUT', '/services/:id/dockerfile', ({ body }) => body);
    let opened = 0;
    api.on('POST', '/services/:id/dockerfile/merge-request', () => ({
      provider: 'gitlab',
      number: 4,
      url: 'https://gitlab.example/group/app/-/merge_requests/4',
      created: opened++ === 0,
    }));
    renderWithApp(<BuildWizard serviceId="svc-1" provider="gitlab" />);
    await user.click(screen.getByRole('button', { name: 'Generate a Dockerfile' }));
    expect(await screen.findByText(proposal.reasons[0]!)).toBeInTheDocument();
    const editor = screen.getByLabelText('Dockerfile');
    expect(editor).toHaveValue(proposal.dockerfile);
    await user.type(editor, '# reviewed');
    await user.click(screen.getByRole('button', { name: 'Use for builds' }));
    expect(await screen.findByText(/builds use this Dockerfile while the repository has none/)).toBeInTheDocument();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect((put?.body as { dockerfile: string }).dockerfile).toBe(`${proposal.dockerfile}# reviewed`);
    await user.click(screen.getByRole('button', { name: 'Open a merge request' }));
    expect(await screen.findByRole('link', { name: 'merge request #4' })).toHaveAttribute(
      'href',
      'https://gitlab.example/group/app/-/merge_requests/4',
    );
    expect(screen.getByText(/Opened/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Open a merge request' }));
    expect(await screen.findByText(/Already open/)).toBeInTheDocument();
  });

  it('says "pull request" for GitHub and shows the failure message', async () => {
    const user = userEvent.setup();
    api.on('POST', '/services/:id/dockerfile', () => ({
      status: 422,
      body: { error: 'Unprocessable', message: 'Kiln found no project it knows in the repository root' },
    }));
    renderWithApp(<BuildWizard serviceId="svc-1" provider="github" />);
    await user.click(screen.getByRole('button', { name: 'Generate a Dockerfile' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Kiln found no project it knows');
  });
});
