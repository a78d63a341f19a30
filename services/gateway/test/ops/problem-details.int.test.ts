import { Writable } from 'node:stream';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@callvault/logging';
import { createTestEnvironment, seedCompany, seedUser, tokenFor, type TestEnvironment } from '@callvault/testing';
import type { Company, User } from '@callvault/db';
import { buildApp, composeGateway } from '../../src';
import { GATEWAY_ERRORS } from '../../src/errors';

/**
 * Every kind of error the gateway answers, as RFC 9457 problem details with our code and the
 * request id that is also the X-Request-Id header and in the request's log lines; a 500 that
 * discloses nothing; X-Request-Id on successes, /app and health too.
 */
let env: TestEnvironment;
let app: FastifyInstance;
let unbuilt: FastifyInstance;
const logLines: string[] = [];
let a: Company;
let b: Company;
let adminA: User;
let adminB: User;
let tokenA: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  const log = createLogger({ name: 'gateway', level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) }));
  const deps = composeGateway({ config: env.config, db: env.db, storage: env.storage, log });
  app = await buildApp(deps);
  unbuilt = await buildApp({ ...deps, dashboardDir: join(tmpdir(), 'callvault-no-dashboard-here') });
  a = await seedCompany(env, 'Company A');
  b = await seedCompany(env, 'Company B');
  adminA = await seedUser(env, a.id, 'company_admin');
  adminB = await seedUser(env, b.id, 'company_admin');
  tokenA = await tokenFor(env, adminA.subject);
});

afterAll(async () => {
  await app?.close();
  await unbuilt?.close();
  await env?.close();
});

const PROBLEM_KEYS = ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'];

/** The response is a problem of `code` for `path`, carrying the request id of its header. */
function expectProblem(response: LightMyRequestResponse, code: keyof typeof GATEWAY_ERRORS, path: string) {
  const body = response.json();
  expect(response.statusCode).toBe(GATEWAY_ERRORS[code].status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(
    Object.keys(body)
      .filter((key) => key !== 'errors')
      .sort(),
  ).toEqual(PROBLEM_KEYS);
  expect(body).toMatchObject({
    type: `https://callvault.dev/errors/${code}`,
    title: GATEWAY_ERRORS[code].title,
    status: GATEWAY_ERRORS[code].status,
    code,
    instance: path,
    requestId: response.headers['x-request-id'],
  });
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokenA}`, ...headers } });

describe('problem details', () => {
  it('answers an unknown route, on /v1 and elsewhere, with not_found; the instance is the path without its query', async () => {
    expectProblem(await get('/v1/no-such-thing?token=secret'), 'not_found', '/v1/no-such-thing');
    const outside = await app.inject({ method: 'GET', url: '/nowhere' });
    expectProblem(outside, 'not_found', '/nowhere');
    expect(outside.body).not.toContain('secret');
  });

  it('answers authentication failures: no token 401, an unknown subject 403', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me' }), 'unauthorized', '/v1/me');
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer not.a.valid-token' } }), 'unauthorized', '/v1/me');
    const stranger = await tokenFor(env, 'nobody-registered');
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${stranger}` } }), 'forbidden', '/v1/me');
  });

  it('lists each invalid query, path and body field with a JSON Pointer into the request', async () => {
    const query = expectProblem(await get('/v1/users?limit=0&bogus=1'), 'validation_failed', '/v1/users');
    expect(query.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(['/query/bogus', '/query/limit']);
    for (const error of query.errors) expect(typeof error.detail).toBe('string');

    const params = expectProblem(await get('/v1/users/not-a-uuid'), 'validation_failed', '/v1/users/not-a-uuid');
    expect(params.errors.map((error: { pointer: string }) => error.pointer)).toEqual(['/params/id']);

    const body = expectProblem(
      await app.inject({ method: 'PATCH', url: `/v1/users/${adminA.id}`, headers: { authorization: `Bearer ${tokenA}` }, payload: { name: 42, sneaky: true } }),
      'validation_failed',
      `/v1/users/${adminA.id}`,
    );
    expect(body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(['/body/name', '/body/sneaky']);
  });

  it('answers a body that is not JSON, or too large, with the framework codes', async () => {
    const headers = { authorization: `Bearer ${tokenA}`, 'content-type': 'application/json' };
    expectProblem(await app.inject({ method: 'PATCH', url: `/v1/users/${adminA.id}`, headers, payload: '{"name":' }), 'bad_request', `/v1/users/${adminA.id}`);
    expectProblem(
      await app.inject({ method: 'PATCH', url: `/v1/users/${adminA.id}`, headers, payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }) }),
      'payload_too_large',
      `/v1/users/${adminA.id}`,
    );
    expectProblem(
      await app.inject({ method: 'PATCH', url: `/v1/users/${adminA.id}`, headers: { ...headers, 'content-type': 'text/csv' }, payload: 'a,b' }),
      'unsupported_media_type',
      `/v1/users/${adminA.id}`,
    );
  });

  it('answers another company’s user as not_found, never naming that company', async () => {
    const response = await get(`/v1/users/${adminB.id}`);
    const body = expectProblem(response, 'not_found', `/v1/users/${adminB.id}`);
    expect(body.detail).not.toContain(adminB.id);
    expect(response.body).not.toContain(b.id);
    expect(response.body).not.toContain(adminB.subject);
  });

  it('answers the dashboard without its build as dashboard_not_built (503), with a request id', async () => {
    const response = await unbuilt.inject({ method: 'GET', url: '/app/calls' });
    expectProblem(response, 'dashboard_not_built', '/app/calls');
  });

  it('masks an unexpected failure: a 500 with no SQL, stack, key or tenant id, logged once under the same request id', async () => {
    // A schema broken under the gateway makes its query fail inside Postgres, the error carrying the SQL.
    await sql`alter table audit_events rename to audit_events_renamed_by_test`.execute(env.ownerDb);
    try {
      const response = await get('/v1/audit-events');
      const body = expectProblem(response, 'internal_error', '/v1/audit-events');
      expect(body.detail).toContain(body.requestId);
      for (const leak of [
        'select',
        'audit_events',
        'relation',
        'postgres',
        ' at ',
        '.ts:',
        a.id,
        adminA.id,
        env.config.TAG_SIGNING_KEY!,
        env.config.AUTH_JWT_SECRET!,
      ])
        expect(response.body.toLowerCase(), leak).not.toContain(leak.toLowerCase());
      const logged = logLines.map((line) => JSON.parse(line)).filter((line) => line.requestId === body.requestId && line.msg === 'request failed');
      expect(logged).toHaveLength(1);
      expect(JSON.stringify(logged[0].err)).toContain('audit_events');
    } finally {
      await sql`alter table audit_events_renamed_by_test rename to audit_events`.execute(env.ownerDb);
    }
    expect((await get('/v1/audit-events')).statusCode).toBe(200);
  });
});

describe('X-Request-Id', () => {
  it('is on every answer: successes, errors, health, docs and the dashboard', async () => {
    const answers = [
      await get('/v1/me'),
      await get('/v1/nothing'),
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/docs/json' }),
      await unbuilt.inject({ method: 'GET', url: '/app' }),
    ];
    for (const response of answers) expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(answers.map((response) => response.headers['x-request-id'])).size).toBe(answers.length);
  });

  it('keeps a safe id from the caller, in the header, the problem and every log line of the request', async () => {
    const given = 'crm-7f3a.2026:retry_2';
    const ok = await get('/v1/me', { 'x-request-id': given });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-request-id']).toBe(given);
    const failed = await get('/v1/users/not-a-uuid', { 'x-request-id': given });
    expect(failed.headers['x-request-id']).toBe(given);
    expect(failed.json().requestId).toBe(given);
    const lines = logLines.map((line) => JSON.parse(line)).filter((line) => line.requestId === given);
    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed', 'incoming request', 'request completed']);
  });

  it('replaces an unsafe or oversized id with a new one', async () => {
    for (const unsafe of ['x'.repeat(129), 'has space', 'line\\nbreak', '<script>', 'ünïcode', '-leading-dash', '']) {
      const response = await get('/v1/me', { 'x-request-id': unsafe });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-request-id'], unsafe).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
