// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DockerfileProposal } from '../../ui/src/api/types';
import { BuildPage } from '../../ui/src/builds/build-page';
import { BuildsPanel } from '../../ui/src/builds/builds-panel';
import { aBuild, aBuildDetail, aService } from './support/builders';
import { installFakeApi } from './support/fake-api';
import { renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
  api.on('GET', '/builds/:id/logs', () => ({ lines: [], nextAfterSeq: -1, hasMore: false, status: 'Failed' }));
});
afterEach(() => {
  cleanup();
  api.restore();
});

const proposal: DockerfileProposal = {
  dockerfile: 'FROM node:24-slim\nUSER node\nCMD ["node", "server.js"]\n',
  dockerignore: '.git\nnode_modules\n',
  reasons: ['Start: npm start, from package.json scripts.start.'],
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

describe('Build page of a "Dockerfile not found" build', () => {
  it('offers the Build Wizard for the build’s service, which proposes and stores a Dockerfile', async () => {
    const user = userEvent.setup();
    const service = aService({ gitProvider: 'github', name: 'no-dockerfile' });
    const build = aBuildDetail({
      serviceId: service.id,
      status: 'Failed',
      error: 'Dockerfile not found: Dockerfile',
      errorType: 'DockerfileNotFound',
    });
    api.on('GET', '/builds/:id', () => ({ status: 200, body: build }));
    api.on('GET', '/services/:id', () => service);
    api.on('POST', '/services/:id/dockerfile', () => proposal);
    api.on('PUT', '/services/:id/dockerfile', ({ body }) => body);
    renderWithApp(<BuildPage buildId={build.id} />);

    const offer = await screen.findByRole('button', { name: 'Generate a Dockerfile with Build Wizard' });
    expect(screen.queryByRole('region', { name: 'Build Wizard' })).not.toBeInTheDocument();
    await user.click(offer);
    expect(offer).toHaveAttribute('aria-expanded', 'true');
    await user.click(await screen.findByRole('button', { name: 'Generate a Dockerfile' }));
    expect(await screen.findByText(proposal.reasons[0]!)).toBeInTheDocument();
    // The wizard belongs to the build's own service, and GitHub wording comes from that service.
    expect(api.calls.some((c) => c.method === 'GET' && c.path === `/services/${service.id}`)).toBe(true);
    expect(api.calls.some((c) => c.method === 'POST' && c.path === `/services/${service.id}/dockerfile`)).toBe(true);
    expect(screen.getByRole('button', { name: 'Open a pull request' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use for builds' }));
    await waitFor(() =>
      expect(api.calls.some((c) => c.method === 'PUT' && c.path === `/services/${service.id}/dockerfile`)).toBe(true),
    );
  });

  it('offers nothing on a build that failed for another reason', async () => {
    const build = aBuildDetail({ status: 'Failed', error: 'buildah exited with 1', errorType: 'BuildFailed' });
    api.on('GET', '/builds/:id', () => ({ status: 200, body: build }));
    renderWithApp(<BuildPage buildId={build.id} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('buildah exited with 1');
    expect(screen.queryByRole('button', { name: /Build Wizard/ })).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.path.startsWith('/services/'))).toBe(false);
  });

  it('offers it in the expanded build row of the service’s builds list too', async () => {
    const user = userEvent.setup();
    const service = aService({ gitProvider: 'gitlab' });
    const build = aBuild({
      serviceId: service.id,
      status: 'Failed',
      error: 'Dockerfile not found: Dockerfile',
      errorType: 'DockerfileNotFound',
    });
    api.on('GET', '/services/:id/builds', () => ({ items: [build] }));
    api.on('GET', '/services/:id', () => service);
    renderWithApp(<BuildsPanel service={service} openBuildId={build.id} />);
    await user.click(await screen.findByRole('button', { name: 'Generate a Dockerfile with Build Wizard' }));
    expect(await screen.findByRole('region', { name: 'Build Wizard' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Generate a Dockerfile' })).toBeInTheDocument();
  });
});
