import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken, parseTtl } from '../src/mint-token';
import { createTokenVerifier } from '../src/token-verifier';

let server: Server;
let jwksUrl: string;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const secret = randomBytes(32).toString('base64url');

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const rs256 = (claims: { iss: string; aud: string }) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('alice')
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);

describe('token verifier with an identity provider (JWKS)', () => {
  it('requires issuer and audience', () => {
    expect(() => createTokenVerifier({ jwksUrl })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE/);
    expect(() => createTokenVerifier({ jwksUrl, issuer: 'https://idp.example' })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE/);
  });

  it("accepts the provider's RS256 tokens for this audience, and nothing else: HS256 is off even with a secret configured", async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'callvault', jwtSecret: secret });
    await expect(verify(await rs256({ iss: 'https://idp.example', aud: 'callvault' }))).resolves.toMatchObject({ subject: 'alice' });
    await expect(verify(await rs256({ iss: 'https://idp.example', aud: 'another-app' }))).rejects.toThrow('invalid token');
    await expect(verify(await rs256({ iss: 'https://evil.example', aud: 'callvault' }))).rejects.toThrow('invalid token');
    const hs256 = await mintToken({ secret, subject: 'alice', ttlSeconds: 300, issuer: 'https://idp.example', audience: 'callvault' });
    await expect(verify(hs256)).rejects.toThrow();
  });
});

describe('minted tokens', () => {
  it('live at most 24 hours', async () => {
    expect(parseTtl('24h')).toBe(86_400);
    expect(() => parseTtl('25h')).toThrow(/between 1s and 24h/);
    expect(() => parseTtl('7d')).toThrow(/between 1s and 24h/);
    await expect(mintToken({ secret, subject: 'alice', ttlSeconds: 86_401 })).rejects.toThrow(/at most 24h/);
  });
});
