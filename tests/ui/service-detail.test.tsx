// @vitest-environment jsdom
// One service's page: its header, the pipeline stages and where each one leads, and the section tabs.
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../ui/src/api/types';
import { ServiceDetail } from '../../ui/src/services/service-detail';
import { aBuild, aService, someAutoCi } from './support/builders';
import { installFakeApi } from './support/fake-api';
import { renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
  window.location.hash = '';
  api.on('GET', '/git-providers', () => ({
    items: [{ id: 'p1', organizationId: 'o', kind: 'gitlab', baseUrl: 'https://gitlab.example.com', hasToken: true }],
  }));
  api.on('GET', '/registries', () => ({ items: [] }));
  api.on('GET', '/clusters', () => ({ items: [] }));
  api.on('GET', '/services/:id/builds', () => ({ items: [] }));
  api.on('GET', '/services/:id/webhook/deliveries', () => ({ items: [] }));
});
afterEach(() => {
  cleanup();
  api.restore();
});

function serve(service: Service) {
  api.on('GET', '/services/:id', () => service);
  api.on('GET', '/services/:id/auto-ci', () => someAutoCi(service));
}

describe('Service page', () => {
  it('names the service and its repository and marks the current tab', async () => {
    const service = aService({ name: 'shop-api' });
    serve(service);
    renderWithApp(<ServiceDetail serviceId={service.id} tab="deliveries" sub={undefined} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'shop-api' })).toBeInTheDocument();
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(crumbs).getByRole('link', { name: 'Services' })).toHaveAttribute('href', '#/services');
    expect(screen.getByText(service.repoUrl)).toBeInTheDocument();

    const tabs = screen.getByRole('navigation', { name: 'Service sections' });
    expect(
      within(tabs)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Builds', 'Pipelines', 'Recent deliveries', 'Settings']);
    expect(within(tabs).getByRole('link', { name: 'Recent deliveries' })).toHaveAttribute('aria-current', 'page');
    expect(within(tabs).getByRole('link', { name: 'Settings' })).toHaveAttribute(
      'href',
      `#/services/${service.id}/settings`,
    );
    const panel = screen.getByRole('region', { name: 'Recent deliveries' });
    expect(await within(panel).findByText(/No webhook deliveries yet/)).toBeInTheDocument();
  });

  it('asks for the Git connections and builds alongside the service, not after it arrives', async () => {
    const service = aService({ name: 'gone' });
    api.on('GET', '/services/:id', () => ({ status: 404, body: { error: 'NotFound', message: 'Service not found' } }));
    renderWithApp(<ServiceDetail serviceId={service.id} tab="builds" sub={undefined} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the service: Service not found');
    const paths = api.calls.map((c) => c.path);
    expect(paths).toContain('/git-providers');
    expect(paths).toContain(`/services/${service.id}/builds`);
  });

  it('shows Builds for an unknown tab, and the service form under Settings', async () => {
    const service = aService({ name: 'shop-api' });
    serve(service);
    renderWithApp(<ServiceDetail serviceId={service.id} tab="nonsense" sub={undefined} />);
    const panel = await screen.findByRole('region', { name: 'Builds' });
    expect(await within(panel).findByText(/No builds yet/)).toBeInTheDocument();
    cleanup();
    renderWithApp(<ServiceDetail serviceId={service.id} tab="settings" sub={undefined} />);
    const settings = await screen.findByRole('region', { name: 'Settings' });
    expect(within(settings).getByRole('form', { name: 'Edit service' })).toBeInTheDocument();
  });

  it('opens Auto CI from the Build stage once it can be enabled; Deploy leads to settings, Operate to builds', async () => {
    const user = userEvent.setup();
    const service = aService({ name: 'shop-api', autoCiEnabled: true });
    serve(service);
    api.on('GET', '/services/:id/builds', () => ({
      items: [aBuild({ status: 'Succeeded', images: ['harbor.example.com/team/shop-api:main-a1b2c3d4e5f6a7b8'] })],
    }));
    renderWithApp(<ServiceDetail serviceId={service.id} tab="builds" sub={undefined} />);
    const stages = await screen.findByRole('list', { name: 'shop-api pipeline' });
    expect(await within(stages).findByRole('button', { name: 'Build: Succeeded' })).toBeInTheDocument();
    expect(within(stages).getByRole('button', { name: 'Operate: Image main-a1b2c3d' })).toBeInTheDocument();

    await user.click(within(stages).getByRole('button', { name: 'Deploy: No cluster' }));
    expect(window.location.hash).toBe(`#/services/${service.id}/settings`);
    await user.click(within(stages).getByRole('button', { name: /^Operate:/ }));
    expect(window.location.hash).toBe(`#/services/${service.id}/builds`);
    await user.click(within(stages).getByRole('button', { name: 'Build: Succeeded' }));
    const dialog = await screen.findByRole('dialog', { name: 'Auto CI — shop-api' });
    await user.click(within(dialog).getByRole('button', { name: 'Close dialog' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('sends the Build stage of a service that cannot have Auto CI yet to its settings', async () => {
    const user = userEvent.setup();
    const service = aService({ name: 'no-registry', registryId: null });
    serve(service);
    renderWithApp(<ServiceDetail serviceId={service.id} tab="builds" sub={undefined} />);
    const stages = await screen.findByRole('list', { name: 'no-registry pipeline' });
    expect(within(stages).getByRole('button', { name: 'Operate: No image yet' })).toBeInTheDocument();
    await user.click(within(stages).getByRole('button', { name: 'Build: No builds' }));
    expect(window.location.hash).toBe(`#/services/${service.id}/settings`);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
