import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintToken } from '../src/mint-token';
import { createTokenVerifier, type TokenVerifier } from '../src/token-verifier';
import { withVerifiedTokenCache } from '../src/verified-token-cache';

const secret = randomBytes(32).toString('base64url');

/** The real HS256 verifier, counting the tokens it is asked to check. */
function countingVerifier(): { verify: TokenVerifier; checked: string[] } {
  const real = createTokenVerifier({ jwtSecret: secret });
  const checked: string[] = [];
  return {
    checked,
    verify: (token) => {
      checked.push(token);
      return real(token);
    },
  };
}

/** A cache over the counting verifier, and a token of alice's valid for 10 minutes. */
async function cachedWithToken(ttlSeconds = 60) {
  const { verify, checked } = countingVerifier();
  const cached = withVerifiedTokenCache(verify, { ttlSeconds });
  const token = await mintToken({ secret, subject: 'alice', ttlSeconds: 600 });
  return { cached, checked, token };
}

/** The same token with one character of its signature changed. */
function tamperedSignature(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('withVerifiedTokenCache', () => {
  it('verifies a repeated token once and answers the same subject', async () => {
    const { cached, checked, token } = await cachedWithToken();
    const first = await cached(token);
    const second = await cached(token);
    expect(first.subject).toBe('alice');
    expect(second.subject).toBe('alice');
    expect(checked).toHaveLength(1);
  });

  it('never vouches for a token differing from a remembered one', async () => {
    const { cached, checked, token } = await cachedWithToken();
    await cached(token);
    const forged = tamperedSignature(token);
    await expect(cached(forged)).rejects.toThrow(/invalid token/);
    // A forged payload under the remembered signature.
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    await expect(cached(`${header}.${payload}.${signature}`)).rejects.toThrow(/invalid token/);
    expect(checked).toHaveLength(3);
  });

  it('keeps no refusal: a refused token is checked again every time', async () => {
    const { verify, checked } = countingVerifier();
    const cached = withVerifiedTokenCache(verify, { ttlSeconds: 60 });
    const wrongSecret = await mintToken({ secret: `${secret}x`, subject: 'alice', ttlSeconds: 600 });
    await expect(cached(wrongSecret)).rejects.toThrow(/invalid token/);
    await expect(cached(wrongSecret)).rejects.toThrow(/invalid token/);
    expect(checked).toHaveLength(2);
  });

  it('refuses a remembered token once it expires, however recently it was verified', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verify } = countingVerifier();
    const cached = withVerifiedTokenCache(verify, { ttlSeconds: 3600 });
    const token = await mintToken({ secret, subject: 'alice', ttlSeconds: 30 });
    await cached(token);
    // Within the verifier's 5 s tolerance past `exp`: still accepted.
    vi.setSystemTime(Date.now() + 34_000);
    await expect(cached(token)).resolves.toMatchObject({ subject: 'alice' });
    vi.setSystemTime(Date.now() + 2_000);
    await expect(cached(token)).rejects.toThrow(/token expired/);
  });

  it('refuses a remembered token at the very millisecond jose would', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verify } = countingVerifier();
    const cached = withVerifiedTokenCache(verify, { ttlSeconds: 3600 });
    const token = await mintToken({ secret, subject: 'alice', ttlSeconds: 30 });
    const { claims } = await cached(token);
    vi.setSystemTime(((claims.exp ?? 0) + 5) * 1000 - 1);
    await expect(cached(token)).resolves.toMatchObject({ subject: 'alice' });
    vi.setSystemTime(((claims.exp ?? 0) + 5) * 1000);
    await expect(cached(token)).rejects.toThrow(/token expired/);
  });

  it('answers the subject and expiry only, frozen, alike on a first and a remembered use', async () => {
    const { cached, token } = await cachedWithToken();
    const first = await cached(token);
    const again = await cached(token);
    expect(again).toBe(first);
    expect(Object.keys(first.claims)).toEqual(['exp']);
    expect(Object.isFrozen(first) && Object.isFrozen(first.claims)).toBe(true);
  });

  it('keeps no token longer than a Bearer token may be', async () => {
    const { verify, checked } = countingVerifier();
    const cached = withVerifiedTokenCache(verify, { ttlSeconds: 60 });
    const long = await new SignJWT({ padding: 'x'.repeat(4096) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
    await cached(long);
    await cached(long);
    expect(checked).toHaveLength(2);
  });

  it('verifies again after its own bound', async () => {
    const { cached, checked, token } = await cachedWithToken(0.3);
    await cached(token);
    await cached(token);
    expect(checked).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await cached(token);
    expect(checked).toHaveLength(2);
  });

  it('holds at most maxEntries tokens, the least recently used going first', async () => {
    const { verify, checked } = countingVerifier();
    const cached = withVerifiedTokenCache(verify, { ttlSeconds: 60, maxEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((subject) => mintToken({ secret, subject, ttlSeconds: 600 })));
    await cached(a!);
    await cached(b!);
    await cached(a!);
    await cached(c!); // evicts b
    await cached(a!);
    await cached(b!);
    expect(checked).toEqual([a, b, c, b]);
  });
});
