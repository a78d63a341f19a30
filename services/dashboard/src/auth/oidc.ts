import * as oauth from 'oauth4webapi';
import type { DashboardConfig } from '../app-config';

type Oidc = NonNullable<DashboardConfig['oidc']>;
const PENDING_KEY = 'callvault.oidc';

const redirectUri = () => `${location.origin}/app/callback`;

/** Plain http only for an issuer on this machine (a local or test provider), never across a network. */
function requestOptions(issuer: URL) {
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return local ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(oidc: Oidc): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(oidc.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** Authorization code + PKCE: the verifier and state stay in this tab until the issuer sends the browser back. */
export async function startOidcSignIn(oidc: Oidc): Promise<void> {
  const as = await discover(oidc);
  if (!as.authorization_endpoint) throw new Error('the issuer publishes no authorization endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', oidc.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', oidc.scopes);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  // Auth0 and others issue a JWT access token only for a named API.
  if (oidc.audience) url.searchParams.set('audience', oidc.audience);
  location.assign(url.href);
}

/** Back from the issuer: checks state, redeems the code with the verifier, returns the access token. */
export async function finishOidcSignIn(oidc: Oidc, callbackUrl: URL): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending) throw new Error('this sign-in was not started here; start again');
  const as = await discover(oidc);
  const client: oauth.Client = { client_id: oidc.clientId };
  const params = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    requestOptions(new URL(oidc.issuer)),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  return result.access_token;
}
