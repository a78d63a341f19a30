import { SignJWT } from 'jose';

/**
 * The longest lifetime of a token minted here: such a token cannot be revoked (only its user
 * disabled), so it must end soon on its own.
 */
export const MAX_MINTED_TTL_SECONDS = 24 * 3600;

/** An HS256 token for local use and tests; production tokens come from the identity provider. */
export async function mintToken(input: { secret: string; subject: string; ttlSeconds: number; issuer?: string; audience?: string }): Promise<string> {
  if (input.ttlSeconds > MAX_MINTED_TTL_SECONDS) throw new Error(`a minted token lives at most ${MAX_MINTED_TTL_SECONDS / 3600}h`);
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + input.ttlSeconds);
  if (input.issuer) jwt = jwt.setIssuer(input.issuer);
  if (input.audience) jwt = jwt.setAudience(input.audience);
  return jwt.sign(new TextEncoder().encode(input.secret));
}

/** Parses `90s`, `15m`, `1h`, `1d` into seconds; at most MAX_MINTED_TTL_SECONDS. */
export function parseTtl(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value.trim());
  if (!match) throw new Error(`invalid ttl "${value}": use e.g. 15m, 1h, 1d`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds < 1 || seconds > MAX_MINTED_TTL_SECONDS) throw new Error(`invalid ttl "${value}": between 1s and 24h`);
  return seconds;
}
