// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  ref: null,
  sha: null,
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
    expect(within(first!).getByRole('link', { name: 'build 00000000' })).toHaveAttribute(
      'href',
      `#/builds/${ok.buildId}`,
    );
    expect(second).toHaveTextContent('401');
    expect(second).toHaveTextContent('Secret token does not match.');
    expect(within(second!).getByRole('button', { name: /Redeliver/ })).toBeDisabled();
    // Redeliver asks first: declining sends nothing.
    const answers = [false, true];
    const confirm = vi.spyOn(window, 'confirm').mockImplementation(() => answers.shift()!);
    await user.click(within(first!).getByRole('button', { name: /Redeliver/ }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);
    await user.click(within(first!).getByRole('button', { name: /Redeliver/ }));
    await waitFor(() =>
      expect(
        api.calls.some(
          (c) => c.method === 'POST' && c.path === `/services/${serviceId}/webhook/deliveries/${ok.id}/redeliver`,
        ),
      ).toBe(true),
    );
    expect(await screen.findByText('Redelivered: Built')).toBeInTheDocument();
    confirm.mockRestore();
  });

  it('badges built, skipped with its reason, and rejected, with ref and commit, and shows headers and payload', async () => {
    const user = userEvent.setup();
    const skipped = delivery({
      id: '00000000-0000-4000-8000-0000000000d3',
      buildId: null,
      response: { message: 'Branch docs is not in the branch filter.', reason: 'branch_filtered' },
      ref: 'docs',
      sha: 'fedcba9876543210fedcba9876543210fedcba98',
    });
    const rejected = delivery({ id: '00000000-0000-4000-8000-0000000000d4', statusCode: 401, buildId: null });
    const built = delivery({ ref: 'main', sha: '0123456789abcdef0123456789abcdef01234567' });
    api.on('GET', '/services/:id/webhook/deliveries', () => ({ items: [built, skipped, rejected] }));
    api.on('GET', '/services/:id/webhook/deliveries/:deliveryId', () => ({
      ...skipped,
      headers: { 'x-gitlab-event': 'Push Hook', 'user-agent': 'GitLab/17.0' },
      payload: '{"ref":"refs/heads/docs","checkout_sha":"fedcba98"}',
    }));
    renderWithApp(<DeliveriesPanel serviceId={serviceId} />);
    const table = await screen.findByRole('table', { name: 'Recent deliveries' });
    const [, first, second, third] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('main');
    expect(first).toHaveTextContent('01234567');
    expect(within(first!).getByText('Built')).toHaveClass('outcome-built');
    expect(within(second!).getByText('Skipped: branch filtered')).toHaveClass('outcome-skipped');
    expect(second).toHaveTextContent('fedcba98');
    expect(within(third!).getByText('Rejected (401)')).toHaveClass('outcome-rejected');
    await user.click(within(second!).getByRole('button', { name: 'Details' }));
    const details = await screen.findByLabelText('Details of the Push Hook delivery');
    expect(await within(details).findByText(/x-gitlab-event: Push Hook/)).toBeInTheDocument();
    expect(within(details).getByText(/"checkout_sha": "fedcba98"/)).toBeInTheDocument();
  });

  it('hides Redeliver from members', async () => {
    api.on('GET', '/services/:id/webhook/deliveries', () => ({ items: [delivery({})] }));
    renderWithApp(<DeliveriesPanel serviceId={serviceId} />, memberMe);
    await screen.findByRole('table', { name: 'Recent deliveries' });
    expect(screen.queryByRole('button', { name: /Redeliver/ })).not.toBeInTheDocument();
  });
});
