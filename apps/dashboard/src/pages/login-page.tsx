import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { errorMessage, get } from '../api';
import { useSession } from '../session';
import type { SignInMethods } from '../types';

const CALLBACK_ERRORS: Record<string, string> = {
  refused:
    'Your account is not allowed here: ask an admin to map your email or domain to a tenant.',
  failed: 'Signing in with your identity provider failed. Please try again.',
  expired: 'That sign-in took too long or was started in another browser. Please try again.',
};

export function LoginPage({ problem }: { readonly problem?: string }): ReactNode {
  const { signInWithKey } = useSession();
  const [methods, setMethods] = useState<SignInMethods | undefined>();
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(() => {
    const code = new URLSearchParams(window.location.search).get('error');
    return code === null ? problem : (CALLBACK_ERRORS[code] ?? 'Sign-in failed.');
  });

  useEffect(() => {
    get<SignInMethods>('/v1/auth/methods').then(setMethods, () =>
      setMethods({ apiKey: true, oidc: null }),
    );
  }, []);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signInWithKey(apiKey.trim());
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <section className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">✉ Email scheduler</h1>
        <p className="muted">Schedule, watch and investigate your emails.</p>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        {methods?.oidc && (
          <>
            <a className="button primary block" href="/v1/auth/oidc/login">
              Sign in with {methods.oidc.label}
            </a>
            <p className="divider">
              <span>or</span>
            </p>
          </>
        )}
        <form onSubmit={(event) => void submit(event)} className="form">
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            placeholder="esk_…"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
          <p className="hint">
            For local use: the key <code>npm start</code> printed (kept in{' '}
            <code>.dev-admin-key</code>). It is sent once to start a session and not kept by the
            browser.
          </p>
          <button
            type="submit"
            className={methods?.oidc ? 'button secondary block' : 'button primary block'}
            disabled={busy || apiKey.trim() === ''}
          >
            {busy ? 'Signing in…' : 'Sign in with API key'}
          </button>
        </form>
      </section>
    </main>
  );
}
