import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, UNAUTHORIZED_EVENT, getToken, setToken } from './api/client';
import { kiln } from './api/endpoints';
import type { Me } from './api/types';
import { Login } from './login';
import { href, useRoute } from './router';
import { ServiceDetail } from './services/service-detail';
import { ServicesPage } from './services/services-page';
import { SettingsPage } from './settings/settings-page';
import { BuildPage } from './builds/build-page';
import { SessionContext } from './session';

/** The whole UI: sign-in gate, header, and the screen for the current route. */
export function App() {
  const { token, me, signIn, signOut, reason } = useSession();
  if (!token) return <Login onSignedIn={signIn} reason={reason} />;
  if (me.isPending) return <p className="muted page">Loading…</p>;
  if (me.isError) {
    const expired = me.error instanceof ApiError && me.error.status === 401;
    return (
      <Login
        reason={expired ? 'Your stored token is no longer valid; sign in again.' : me.error.message}
        onSignedIn={signIn}
      />
    );
  }
  return (
    <SessionContext.Provider value={me.data}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar me={me.data} onSignOut={() => signOut()} />
      {(me.data.notices ?? []).map((notice) => (
        <p key={notice} role="alert" className="banner-warning">
          {notice}
        </p>
      ))}
      <main id="main" tabIndex={-1} className="page">
        <Screen />
      </main>
    </SessionContext.Provider>
  );
}

/**
 * The stored token and who it signs in as; signing out (by the user, or because the server stopped accepting the
 * token) forgets the token and every cached answer, keeping why for the sign-in page.
 */
function useSession() {
  const queryClient = useQueryClient();
  const [token, setTokenState] = useState(getToken);
  const me = useQuery({ queryKey: ['me', token], queryFn: () => kiln.me(), enabled: !!token, retry: false });
  const signIn = (user: Me) => {
    queryClient.setQueryData(['me', getToken()], user);
    setTokenState(getToken());
  };
  const [reason, setReason] = useState<string | undefined>();
  const signOut = (why?: string) => {
    setToken(null);
    setTokenState(null);
    setReason(why);
    queryClient.clear();
  };
  useEffect(() => {
    const expired = () => signOut('Kiln no longer accepts your token (revoked or expired); sign in again.');
    window.addEventListener(UNAUTHORIZED_EVENT, expired);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, expired);
  });
  return { token, me, signIn, signOut, reason };
}

/** Brand, main navigation, who is signed in, and Sign out. */
function TopBar({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  return (
    <header className="topbar">
      <a className="brand" href={href('services')}>
        <span className="logo" aria-hidden="true" /> Kiln
      </a>
      <nav aria-label="Main">
        <a href={href('services')}>Services</a>
        <a href={href('settings')}>Settings</a>
        <a href="/api/v1/docs">API</a>
      </nav>
      <span className="whoami">
        {me.name} <span className="muted">({me.role})</span>
      </span>
      <button type="button" className="link-button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

function Screen() {
  const route = useRoute();
  const [section, id, tab, sub] = route;
  if ((section === undefined || section === 'services') && (id === undefined || id === 'new')) {
    return <ServicesPage creating={id === 'new'} />;
  }
  if (section === 'services' && id) return <ServiceDetail serviceId={id} tab={tab ?? 'builds'} sub={sub} />;
  if (section === 'settings') return <SettingsPage tab={id} />;
  if (section === 'builds' && id) return <BuildPage buildId={id} />;
  return (
    <p>
      Nothing here. <a href={href('services')}>Back to services</a>
    </p>
  );
}
