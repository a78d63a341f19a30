import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** What the dashboard asks for: the API scope makes the issuer mint a JWT access token for us. */
export const API_SCOPE = 'callvault';

export interface OidcIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  clientId: string;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback: discovery, the
 * authorization endpoint with its own login form (any user name is an account whose `sub` it is),
 * PKCE required, RS256 JWT access tokens for the callvault API published through its JWKS. Its
 * consent page asks once per user, as many companies' IdPs do.
 */
export async function startOidcIssuer(input: { port: number; redirectUri: string }): Promise<OidcIssuer> {
  const issuer = `http://127.0.0.1:${input.port}`;
  const audience = 'https://api.callvault.test';
  const clientId = 'callvault-dashboard';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [input.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk as never] },
    scopes: ['openid', 'profile', 'email', API_SCOPE],
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: API_SCOPE, audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  });
  const server: Server = provider.listen(input.port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience,
    clientId,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
