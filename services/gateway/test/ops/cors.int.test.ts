import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, seedCompany, seedUser, tokenFor, type TestEnvironment } from '@callvault/testing';
import type { User } from '@callvault/db';
import { buildApp, composeGateway } from '../../src';

/**
 * CORS on /v1 for the origins of CORS_ALLOWED_ORIGINS only: preflight, the headers a browser
 * needs to read answers (errors included), nothing for any other origin or path, and nothing at
 * all when the variable is empty. CORS never stands in for authentication or scope.
 */
const ALLOWED = 'https://crm.example.com';
const OTHER_ALLOWED = 'http://localhost:5173';
const STRANGER = 'https://evil.example.net';

let env: TestEnvironment;
let app: FastifyInstance;
let closed: FastifyInstance;
let adminA: User;
let adminB: User;
let tokenA: string;

beforeAll(async () => {
  env = await createTestEnvironment({ CORS_ALLOWED_ORIGINS: `${ALLOWED},${OTHER_ALLOWED}` });
  const deps = composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log });
  app = await buildApp(deps);
  // The same gateway with the variable empty (its default).
  closed = await buildApp({ ...deps, config: { ...env.config, CORS_ALLOWED_ORIGINS: [] } });
  const a = await seedCompany(env, 'Company A');
  const b = await seedCompany(env, 'Company B');
  adminA = await seedUser(env, a.id, 'company_admin');
  adminB = await seedUser(env, b.id, 'company_admin');
  tokenA = await tokenFor(env, adminA.subject);
});

afterAll(async () => {
  await app?.close();
  await closed?.close();
  await env?.close();
});

const preflight = (target: FastifyInstance, url: string, origin: string) =>
  target.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
  });

const corsHeadersOf = (response: LightMyRequestResponse) => Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));

describe('CORS on /v1', () => {
  it('answers a preflight from an allowed origin: its methods and headers, no credentials mode', async () => {
    for (const origin of [ALLOWED, OTHER_ALLOWED]) {
      const response = await preflight(app, '/v1/api-keys', origin);
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(String(response.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/)).toEqual([
        'authorization',
        'content-type',
        'idempotency-key',
      ]);
      expect(String(response.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']));
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers['access-control-max-age']).toBe('600');
      expect(response.headers.vary).toMatch(/origin/i);
    }
  });

  it('lets the browser read answers, errors included: the origin, and the request id and rate-limit headers exposed', async () => {
    const ok = await app.inject({ method: 'GET', url: '/v1/me', headers: { origin: ALLOWED, authorization: `Bearer ${tokenA}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const exposed = String(ok.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']));
    for (const name of ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining']) expect(ok.headers[name], name).toBeDefined();

    const unauthenticated = await app.inject({ method: 'GET', url: '/v1/me', headers: { origin: ALLOWED } });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.json().code).toBe('unauthorized');
    expect(unauthenticated.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('gives a disallowed origin no CORS header at all, preflight or request', async () => {
    for (const origin of [STRANGER, `${ALLOWED}.evil.net`, 'https://CRM.example.com', 'null']) {
      const refused = await preflight(app, '/v1/api-keys', origin);
      expect(corsHeadersOf(refused), origin).toEqual([]);
      expect(refused.statusCode).toBe(404);
      const read = await app.inject({ method: 'GET', url: '/v1/me', headers: { origin, authorization: `Bearer ${tokenA}` } });
      expect(read.statusCode).toBe(200);
      expect(corsHeadersOf(read), origin).toEqual([]);
    }
  });

  it('offers nothing cross-origin outside /v1, and nothing at all when CORS_ALLOWED_ORIGINS is empty', async () => {
    for (const url of ['/app', '/app/calls', '/healthz', '/docs/json', '/admin/queues', '/media/0b6f9a4e-1c1f-4f55-9d59-3f1e2a7d0c11', '/v1x']) {
      expect(corsHeadersOf(await preflight(app, url, ALLOWED)), url).toEqual([]);
      expect(corsHeadersOf(await app.inject({ method: 'GET', url, headers: { origin: ALLOWED } })), url).toEqual([]);
    }
    expect(corsHeadersOf(await preflight(closed, '/v1/me', ALLOWED))).toEqual([]);
    const read = await closed.inject({ method: 'GET', url: '/v1/me', headers: { origin: ALLOWED, authorization: `Bearer ${tokenA}` } });
    expect(read.statusCode).toBe(200);
    expect(corsHeadersOf(read)).toEqual([]);
  });

  it('is no credential: an allowed origin still needs a token, and stays within its scope', async () => {
    const anonymousWrite = await app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { origin: ALLOWED },
      payload: { name: 'x', role: 'company_admin' },
    });
    expect(anonymousWrite.statusCode).toBe(401);
    expect(anonymousWrite.json().code).toBe('unauthorized');
    const otherCompany = await app.inject({ method: 'GET', url: `/v1/users/${adminB.id}`, headers: { origin: ALLOWED, authorization: `Bearer ${tokenA}` } });
    expect(otherCompany.statusCode).toBe(404);
    expect(otherCompany.json().code).toBe('not_found');
    expect(otherCompany.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});
