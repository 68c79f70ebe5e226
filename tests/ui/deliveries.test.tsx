// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../ui/src/api/types';
import { DeliveriesPanel } from '../../ui/src/deliveries/deliveries-panel';
import { installFakeApi } from './support/fake-api';
import { memberMe, renderWithApp } from './support/render-app';

let api: ReturnType<typeof installFakeApi>;
beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  api.restore();
});

const serviceId = '00000000-0000-4000-8000-00000000beef';
const delivery = (patch: Partial<Delivery>): Delivery => ({
  id: '00000000-0000-4000-8000-0000000000d1',
  provider: 'gitlab',
  event: 'Push Hook',
  deliveryId: 'abc',
  statusCode: 200,
  response: { message: 'Build started for shop on main' },
  buildId: '00000000-0000-4000-8000-0000000000b1',
  redeliveryOf: null,
  payloadBytes: 1200,
  canRedeliver: true,
  durationMs: 35,
  createdAt: new Date().toISOString(),
  ...patch,
});

describe('Recent deliveries', () => {
  it('lists event, time, status code, response and build, with Redeliver for admins', async () => {
    const user = userEvent.setup();
    const ok = delivery({});
    const rejected = delivery({
      id: '00000000-0000-4000-8000-0000000000d2',
      statusCode: 401,
      response: { message: 'Secret token does not match.' },
      buildId: null,
      canRedeliver: false,
      event: 'Tag Push Hook',
    });
    api.on('GET', '/services/:id/webhook/deliveries', () => ({
      items: [ok, rejected],
      total: 2,
      page: 1,
      pageSize: 20,
    }));
    api.on('POST', '/services/:id/webhook/deliveries/:deliveryId/redeliver', () =>
      delivery({ id: 'new', redeliveryOf: ok.id }),
    );
    renderWithApp(<DeliveriesPanel serviceId={serviceId} />);
    const table = await screen.findByRole('table', { name: 'Recent deliveries' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('Push Hook');
    expect(first).toHaveTextContent('just now');
    expect(first).toHaveTextContent('200');
    expect(first).toHaveTextContent('Build started for shop on main');
    expect(within(first!).getByRole('link', { name: '00000000' })).toHaveAttribute(
      'href',
      `#/services/${serviceId}/builds/${ok.buildId}`,
    );
    expect(second).toHaveTextContent('401');
    expect(second).toHaveTextContent('Secret token does not match.');
    expect(within(second!).getByRole('button', { name: /Redeliver/ })).toBeDisabled();
    await user.click(within(first!).getByRole('button', { name: /Redeliver/ }));
    await waitFor(() =>
      expect(
        api.calls.some(
          (c) => c.method === 'POST' && c.path === `/services/${serviceId}/webhook/deliveries/${ok.id}/redeliver`,
        ),
      ).toBe(true),
    );
    expect(await screen.findByText(/Redelivered: 200/)).toBeInTheDocument();
  });

  it('hides Redeliver from members', async () => {
    api.on('GET', '/services/:id/webhook/deliveries', () => ({ items: [delivery({})] }));
    renderWithApp(<DeliveriesPanel serviceId={serviceId} />, memberMe);
    await screen.findByRole('table', { name: 'Recent deliveries' });
    expect(screen.queryByRole('button', { name: /Redeliver/ })).not.toBeInTheDocument();
  });
});
