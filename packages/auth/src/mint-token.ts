import { SignJWT } from 'jose';

/** An HS256 token for local use and tests; production tokens come from the identity provider. */
export async function mintToken(input: { secret: string; subject: string; ttlSeconds: number; issuer?: string; audience?: string }): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + input.ttlSeconds);
  if (input.issuer) jwt = jwt.setIssuer(input.issuer);
  if (input.audience) jwt = jwt.setAudience(input.audience);
  return jwt.sign(new TextEncoder().encode(input.secret));
}

/** Parses `90s`, `15m`, `1h`, `7d` into seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value.trim());
  if (!match) throw new Error(`invalid ttl "${value}": use e.g. 15m, 1h, 7d`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
