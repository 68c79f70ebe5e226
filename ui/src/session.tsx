import { createContext, useContext } from 'react';
import type { Me } from './api/types';

/** The signed-in user, for role-dependent UI; the server enforces the same rules (api/auth.ts). */
export const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only used below the sign-in gate. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe() outside a signed-in session');
  return me;
}

/** True for organization admins and instance admins: webhook secrets, Redeliver, connections, registries, clusters. */
export function useIsAdmin(): boolean {
  return useMe().role !== 'member';
}

/** True for instance admins: other organizations and in-cluster environments. */
export function useIsInstanceAdmin(): boolean {
  return useMe().role === 'instance_admin';
}
