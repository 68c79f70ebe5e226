import { createContext, useContext } from 'react';
import type { Me } from './api/types';

/** The signed-in user, for role-dependent UI (admins see the Local webhook URL and Redeliver). */
export const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only used below the sign-in gate. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe() outside a signed-in session');
  return me;
}

/** True for admins. */
export function useIsAdmin(): boolean {
  return useMe().role !== 'member';
}
