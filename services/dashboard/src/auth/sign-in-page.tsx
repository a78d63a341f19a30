import { useState, type FormEvent } from 'react';
import { appConfig } from '../app-config';
import { startOidcSignIn } from './oidc';
import { session } from './session';

const TOKEN = /^[A-Za-z0-9_\-.]{10,4096}$/;

/** The identity provider's sign-in when configured; without one, the development sign-in with a pasted token. */
export function SignInPage() {
  const config = appConfig();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signInWithToken = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!TOKEN.test(value)) return setError('That does not look like a token: paste the output of `pnpm cli token`.');
    session.setToken(value);
    location.assign(session.takeReturn());
  };
  const oidc = config.oidc;
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to callvault</h1>
      {oidc ? (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            startOidcSignIn(oidc).catch((cause: unknown) => {
              setBusy(false);
              setError(`The identity provider could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`);
            });
          }}
        >
          Sign in with your organisation
        </button>
      ) : null}
      {config.devSignIn ? (
        <form onSubmit={signInWithToken} className="dev-sign-in">
          <h2>Development sign-in</h2>
          <p className="muted">
            Paste a token from <code>npx -y pnpm@10 cli token --subject &lt;you&gt;</code>, or open a sign-in link printed by <code>pnpm demo</code>.
          </p>
          <label htmlFor="token">Token</label>
          <textarea id="token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} />
          <button type="submit">Sign in with this token</button>
        </form>
      ) : null}
      {!oidc && !config.devSignIn ? <p role="alert">No sign-in is configured: set OIDC_ISSUER_URL and OIDC_CLIENT_ID on the gateway.</p> : null}
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </main>
  );
}
