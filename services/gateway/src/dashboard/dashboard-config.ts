import type { Config } from '@callvault/config';

/** What the dashboard needs to know before anyone signs in: served at /app/config.json. */
export interface DashboardConfig {
  /** The company's identity provider, when one is configured: authorization code + PKCE. */
  oidc: { issuer: string; clientId: string; scopes: string; audience: string | null } | null;
  /** Without an identity provider the gateway takes HS256 tokens: the app offers to paste one. */
  devSignIn: boolean;
  bullBoardPath: string;
}

export function dashboardConfig(
  config: Pick<Config, 'OIDC_ISSUER_URL' | 'OIDC_CLIENT_ID' | 'OIDC_SCOPES' | 'OIDC_AUDIENCE' | 'AUTH_JWKS_URL'>,
): DashboardConfig {
  return {
    oidc:
      config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID
        ? { issuer: config.OIDC_ISSUER_URL, clientId: config.OIDC_CLIENT_ID, scopes: config.OIDC_SCOPES, audience: config.OIDC_AUDIENCE ?? null }
        : null,
    devSignIn: !config.AUTH_JWKS_URL,
    bullBoardPath: '/admin/queues',
  };
}
