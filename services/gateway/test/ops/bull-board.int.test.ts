import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@callvault/logging';
import { deleteQueueKeys, QUEUE_NAMES } from '@callvault/queue';
import { createTestEnvironment, seedCompany, seedSuperadmin, seedUser, tokenFor, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';
import { ADMIN_SESSION_COOKIE, createAdminSessionCodec } from '../../src/bull-board';

let env: TestEnvironment;
let app: FastifyInstance;
const logLines: string[] = [];
let superadmin: { subject: string; token: string };
let companyAdmin: { subject: string; token: string };

beforeAll(async () => {
  env = await createTestEnvironment();
  // An info-level logger that keeps every line, to prove no token ever reaches a log.
  const log = createLogger({ name: 'gateway', level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) }));
  app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log }));
  const admin = await seedSuperadmin(env);
  superadmin = { subject: admin.subject, token: await tokenFor(env, admin.subject, 600) };
  const company = await seedCompany(env);
  const user = await seedUser(env, company.id, 'company_admin');
  companyAdmin = { subject: user.subject, token: await tokenFor(env, user.subject, 600) };
});

afterAll(async () => {
  await app?.close();
  if (env) await deleteQueueKeys(env.redis, env.config.QUEUE_PREFIX);
  await env?.close();
});

const cookieOf = (response: LightMyRequestResponse) => String(response.headers['set-cookie'] ?? '');
const sessionValue = (response: LightMyRequestResponse) => /callvault_admin=([^;]*)/.exec(cookieOf(response))?.[1] ?? '';
const withCookie = (value: string) => ({ cookie: `${ADMIN_SESSION_COOKIE}=${value}` });

async function signIn(token: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/admin/session',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token }).toString(),
  });
}

describe('Bull Board sign-in', () => {
  it('opens a short-lived HttpOnly, SameSite=Strict session for a superadmin and redirects to the board', async () => {
    const response = await signIn(superadmin.token);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/queues');
    const cookie = cookieOf(response);
    expect(cookie).toMatch(/^callvault_admin=v1\.[\w-]+\.[\w-]+; /);
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain http here; https sets it
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(500);
    expect(maxAge).toBeLessThanOrEqual(600); // never past the token's exp
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('caps the session at one hour even for a long-lived token, and accepts a Bearer header', async () => {
    const longToken = await tokenFor(env, superadmin.subject, 24 * 3600);
    const response = await app.inject({ method: 'POST', url: '/admin/session', headers: { authorization: `Bearer ${longToken}` } });
    expect(response.statusCode).toBe(303);
    expect(Number(/Max-Age=(\d+)/.exec(cookieOf(response))?.[1])).toBeLessThanOrEqual(3600);
  });

  it('refuses a company_admin (403) and an invalid token (401) without setting a cookie', async () => {
    const forbidden = await signIn(companyAdmin.token);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect(cookieOf(forbidden)).toBe('');
    const invalid = await signIn(`${superadmin.token.slice(0, -4)}AAAA`);
    expect(invalid.statusCode).toBe(401);
    expect(cookieOf(invalid)).toBe('');
    const none = await app.inject({ method: 'POST', url: '/admin/session' });
    expect(none.statusCode).toBe(401);
  });

  it('serves the sign-in form to a browser that arrives without a session', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(401);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<form method="post" action="/admin/session">');
    const form = await app.inject({ method: 'GET', url: '/admin/sign-in' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="token"');
  });
});

describe('Bull Board access', () => {
  it('lets a signed-in superadmin load the UI and lists every queue of the contracts in its API', async () => {
    const session = sessionValue(await signIn(superadmin.token));
    const ui = await app.inject({ method: 'GET', url: '/admin/queues', headers: withCookie(session) });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    expect(ui.body).toContain('<title>callvault queues</title>');
    expect(ui.body).toMatch(/<base href="\/admin\/queues\/?"/);
    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: withCookie(session) });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: Array<{ name: string }> }).queues.map((queue) => queue.name);
    expect(names.sort()).toEqual([...QUEUE_NAMES].sort());
    const page = await app.inject({ method: 'GET', url: '/admin/queues/queue/recording-fetch', headers: withCookie(session) });
    expect(page.statusCode).toBe(200);
  });

  it('accepts a superadmin Bearer token instead of the cookie', async () => {
    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization: `Bearer ${superadmin.token}` } });
    expect(api.statusCode).toBe(200);
  });

  it('answers 401 without a credential, on pages, assets and the API', async () => {
    for (const url of [
      '/admin/queues',
      '/admin/queues/',
      '/admin/queues/api/queues',
      '/admin/queues/static/favicon-32x32.png',
      '/admin/queues/api/queues/recording-fetch/retry/failed',
    ]) {
      const response = await app.inject({ method: url.endsWith('failed') ? 'PUT' : 'GET', url });
      expect(response.statusCode, url).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/admin/queues/api/queues' })).json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('answers 403 to a company_admin, by Bearer token or with a session minted for it', async () => {
    const byBearer = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization: `Bearer ${companyAdmin.token}` } });
    expect(byBearer.statusCode).toBe(403);
    // Even a correctly signed session cookie opens nothing for a subject that is not a superadmin.
    const codec = createAdminSessionCodec(env.config.TAG_SIGNING_KEY!);
    const minted = codec.encode({ subject: companyAdmin.subject, expiresAt: Math.floor(Date.now() / 1000) + 600 });
    const byCookie = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: withCookie(minted) });
    expect(byCookie.statusCode).toBe(403);
    const html = await app.inject({ method: 'GET', url: '/admin/queues', headers: { ...withCookie(minted), accept: 'text/html' } });
    expect(html.statusCode).toBe(403);
    expect(html.body).toContain('superadmin');
  });

  it('answers 401 to a tampered or expired cookie, and clears it', async () => {
    const session = sessionValue(await signIn(superadmin.token));
    const [version, payload, mac] = session.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: superadmin.subject, exp: Math.floor(Date.now() / 1000) + 7 * 86400 })).toString('base64url');
    const codec = createAdminSessionCodec(env.config.TAG_SIGNING_KEY!);
    const otherKey = createAdminSessionCodec('x'.repeat(48));
    for (const bad of [
      `${version}.${forged}.${mac}`, // longer expiry, old MAC
      `${version}.${payload}.${mac!.slice(0, -2)}AA`, // MAC changed
      `${version}.${payload}`,
      otherKey.encode({ subject: superadmin.subject, expiresAt: Math.floor(Date.now() / 1000) + 600 }), // another key
      codec.encode({ subject: superadmin.subject, expiresAt: Math.floor(Date.now() / 1000) - 1 }), // expired
      'garbage',
    ]) {
      const response = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: withCookie(bad) });
      expect(response.statusCode, bad).toBe(401);
      expect(cookieOf(response)).toContain('Max-Age=0');
    }
  });

  it('re-checks the user on every request: a disabled superadmin loses the board at once', async () => {
    const admin = await seedSuperadmin(env);
    const session = sessionValue(await signIn(await tokenFor(env, admin.subject)));
    expect((await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: withCookie(session) })).statusCode).toBe(200);
    await env.ownerDb.updateTable('platform_admins').set({ disabled: true }).where('subject', '=', admin.subject).execute();
    expect((await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: withCookie(session) })).statusCode).toBe(403);
  });

  it('signs out by clearing the cookie', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/sign-out' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/sign-in');
    expect(cookieOf(response)).toContain('Max-Age=0');
  });

  it('never writes a token or a session cookie to the log', () => {
    const all = logLines.join('');
    expect(all).toContain('queue board session opened');
    expect(all).not.toContain(superadmin.token);
    expect(all).not.toContain(companyAdmin.token);
    expect(all).not.toMatch(/callvault_admin=v1/);
  });
});
