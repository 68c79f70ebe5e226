import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, setToken } from './api/client';
import { kiln, settingsApi } from './api/endpoints';
import type { Me } from './api/types';

/** Asks for an API token, checks it against `/me` and stores it. */
export function Login({ onSignedIn, reason }: { onSignedIn: (me: Me) => void; reason?: string }) {
  const { token, setValue, error, busy, submit } = useSignIn(onSignedIn, reason);
  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>
          <span className="logo" aria-hidden="true" /> Kiln
        </h1>
        <SignInHint />
        <label htmlFor="api-token">API token</label>
        <input
          id="api-token"
          type="password"
          autoComplete="off"
          required
          value={token}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby={error ? 'login-error' : undefined}
        />
        {error && (
          <p id="login-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !token.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

/** The typed token, and a submit that checks it against `/me` before storing it (a refusal says why). */
function useSignIn(onSignedIn: (me: Me) => void, reason: string | undefined) {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | null>(reason ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await kiln.me(token.trim());
      setToken(token.trim());
      onSignedIn(me);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That token was not accepted. ' + err.message
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return { token, setValue, error, busy, submit };
}

/** Where a token comes from: the file the server wrote the admin's token to (KILN_DATA_DIR may be anywhere). */
function SignInHint() {
  const hint = useQuery({
    queryKey: ['sign-in-hint'],
    queryFn: settingsApi.signInHint,
    retry: false,
    staleTime: Infinity,
  });
  const tokenFile = hint.data?.adminTokenFile;
  return (
    <p>
      Sign in with an API token.{' '}
      {tokenFile ? (
        <>
          On first start Kiln wrote the admin&rsquo;s token to <code className="wrap">{tokenFile}</code>.
        </>
      ) : (
        <>An admin makes one for you in Settings → Users.</>
      )}
    </p>
  );
}
