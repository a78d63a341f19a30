import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export interface TokenVerifierConfig {
  jwtSecret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

export interface VerifiedToken {
  subject: string;
  claims: JWTPayload;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Seconds a token's `exp` (and `nbf`) may be off by: the clocks of the issuer and ours drift apart. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** Asymmetric algorithms for identity providers; HS256 only for our own secret. Never `none`. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/**
 * With an identity provider (JWKS) configured, its tokens are the only ones: HS256 is off (a
 * leaked or default shared secret could otherwise mint anyone), and issuer and audience are
 * required, so a token the provider issued for another application does not pass.
 */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  if (config.jwksUrl && (!config.issuer || !config.audience)) throw new Error('token verifier: AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
  const secret = config.jwtSecret && !config.jwksUrl ? new TextEncoder().encode(config.jwtSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : undefined;
  if (!secret && !jwks) throw new Error('token verifier: set AUTH_JWT_SECRET or AUTH_JWKS_URL');
  const common = {
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
    requiredClaims: ['exp', 'sub'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };

  return async (token) => {
    let header: { alg?: string };
    try {
      header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: string };
    } catch {
      throw new TokenError('malformed token');
    }
    try {
      const result = jwks
        ? await jwtVerify(token, jwks, { ...common, algorithms: JWKS_ALGORITHMS })
        : header.alg === 'HS256' && secret
          ? await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })
          : undefined;
      if (!result) throw new TokenError('unsupported token algorithm');
      const subject = result.payload.sub;
      if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) throw new TokenError('token has no valid subject');
      return { subject, claims: result.payload };
    } catch (error) {
      if (error instanceof TokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenError('token expired');
      if (error instanceof errors.JOSEError) throw new TokenError('invalid token');
      throw error;
    }
  };
}
