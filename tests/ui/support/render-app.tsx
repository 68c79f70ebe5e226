import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Me } from '../../../ui/src/api/types';
import { ToastProvider } from '../../../ui/src/components/toast';
import { SessionContext } from '../../../ui/src/session';

export const adminMe: Me = {
  id: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-0000000000aa',
  name: 'admin',
  email: null,
  role: 'instance_admin',
  createdAt: '2026-01-01T00:00:00.000Z',
  notices: [],
};
export const memberMe: Me = { ...adminMe, id: '00000000-0000-4000-8000-000000000002', name: 'dev', role: 'member' };
export const orgAdminMe: Me = {
  ...adminMe,
  id: '00000000-0000-4000-8000-000000000003',
  name: 'lead',
  role: 'org_admin',
};

/** Renders UI with the providers the app wires up (fresh query cache each time, no retries). */
export function renderWithApp(ui: ReactNode, me: Me = adminMe) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <SessionContext.Provider value={me}>{ui}</SessionContext.Provider>
      </ToastProvider>
    </QueryClientProvider>,
  );
}
