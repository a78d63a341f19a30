import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';

/**
 * /app against a real gateway and a build directory shaped like Vite's output: the routing of
 * client paths vs files, caching, precompression, the 404 for a missing chunk, the policy
 * headers, the sign-in configuration, and the 503 before any build.
 */
let env: TestEnvironment;
let app: FastifyInstance;
let unbuilt: FastifyInstance;
let dir: string;
const SCRIPT = 'console.log("callvault dashboard");'.repeat(40);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callvault-dashboard-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>callvault</title><script type="module" src="/app/assets/index-AbC123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-AbC123.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  env = await createTestEnvironment({
    S3_PUBLIC_ENDPOINT: 'http://storage.example.test:9000',
    OIDC_ISSUER_URL: 'https://id.example.test/realms/acme',
    OIDC_CLIENT_ID: 'callvault-dashboard',
    AUTH_JWKS_URL: 'https://id.example.test/realms/acme/certs',
    AUTH_ISSUER: 'https://id.example.test/realms/acme',
    AUTH_AUDIENCE: 'callvault',
  });
  app = await buildApp({ ...composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }), dashboardDir: dir });
  unbuilt = await buildApp({
    ...composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }),
    dashboardDir: join(dir, 'nothing-here'),
  });
});

afterAll(async () => {
  await app?.close();
  await unbuilt?.close();
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard at /app', () => {
  it('answers every client route with index.html, revalidated on each visit', async () => {
    for (const url of ['/app', '/app/', '/app/calls?direction=inbound', '/app/recordings/0b6f9a4e-1c1f-4f55-9d59-3f1e2a7d0c11']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('/app/assets/index-AbC123.js');
    }
  });

  it('serves hashed assets immutable and precompressed', async () => {
    const plain = await app.inject({ method: 'GET', url: '/app/assets/index-AbC123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);
    const gzipped = await app.inject({ method: 'GET', url: '/app/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(SCRIPT.length / 5);
    expect((await app.inject({ method: 'GET', url: '/app/favicon.svg' })).headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing file with a 404 in the error shape, never with the app', async () => {
    for (const url of ['/app/assets/index-Gone99.js', '/app/assets/../index.html.js', '/app/robots.txt']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain('<script');
    }
  });

  it('puts the strict policy on every answer, naming only storage and the issuer besides itself', async () => {
    for (const url of ['/app/calls', '/app/assets/index-AbC123.js', '/app/assets/missing.js', '/app/config.json']) {
      const response = await app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self';");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp).toContain("connect-src 'self' http://storage.example.test:9000 https://id.example.test;");
      expect(csp).toContain("media-src 'self' http://storage.example.test:9000;");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('tells the app how to sign in', async () => {
    const response = await app.inject({ method: 'GET', url: '/app/config.json' });
    expect(response.json()).toEqual({
      oidc: { issuer: 'https://id.example.test/realms/acme', clientId: 'callvault-dashboard', scopes: 'openid profile email', audience: null },
      devSignIn: false,
      bullBoardPath: '/admin/queues',
    });
  });

  it('answers 503 with the build command before the dashboard is built', async () => {
    for (const url of ['/app', '/app/calls', '/app/assets/index-AbC123.js']) {
      const response = await unbuilt.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(503);
      expect(response.json()).toMatchObject({ code: 'dashboard_not_built' });
      expect(response.json().detail).toContain('--filter @callvault/dashboard build');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });
});
