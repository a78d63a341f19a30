import { useEffect, useRef, useState } from 'react';
import { appConfig } from '../app-config';
import { finishOidcSignIn } from './oidc';
import { session } from './session';

/** Where the identity provider sends the browser back with a code. */
export function CallbackPage() {
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // Once: a code can be redeemed once, and development mode runs effects twice.
    if (started.current) return;
    started.current = true;
    const oidc = appConfig().oidc;
    if (!oidc) return setError('No identity provider is configured.');
    finishOidcSignIn(oidc, new URL(location.href))
      .then((token) => {
        session.setToken(token);
        location.replace(session.takeReturn());
      })
      .catch((cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)));
  }, []);
  return (
    <main id="main" className="sign-in">
      <h1>Signing in…</h1>
      {error ? (
        <div role="alert">
          <p className="error-text">Sign-in failed: {error}</p>
          <a href="/app/sign-in">Try again</a>
        </div>
      ) : (
        <p role="status">Finishing the sign-in with your organisation.</p>
      )}
    </main>
  );
}
