import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, composeGateway } from '@callvault/gateway';
import { deleteQueueKeys, QUEUE_NAMES } from '@callvault/queue';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  createTestEnvironment,
  haveChromium,
  seedCompany,
  seedSuperadmin,
  seedUser,
  tokenFor,
  type TestEnvironment,
} from '@callvault/testing';

/**
 * A real browser against a real gateway: an operator signs in to the queue board the documented
 * way (the sign-in form with a superadmin token), sees every queue rendered by Bull Board's UI,
 * and a company_admin is refused. Debian's Chromium, driven by playwright-core (no browser
 * download). Without Chromium the check is skipped locally and fails in CI, which installs it.
 */
if (!haveChromium && process.env.CI) {
  throw new Error(`${CHROMIUM_PATH} is missing: .ci/run must install Debian's chromium (apt-get install -y chromium)`);
}

let env: TestEnvironment;
let app: FastifyInstance;
let baseUrl: string;
let context: BrowserContext;
let userDataDir: string;
const tokens = { superadmin: '', companyAdmin: '' };

beforeAll(async () => {
  if (!haveChromium) return;
  env = await createTestEnvironment();
  app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const admin = await seedSuperadmin(env);
  const company = await seedCompany(env);
  const companyAdmin = await seedUser(env, company.id, 'company_admin');
  tokens.superadmin = await tokenFor(env, admin.subject, 600);
  tokens.companyAdmin = await tokenFor(env, companyAdmin.subject, 600);
  // A fresh profile every run: no cookie, cache or state from an earlier run.
  userDataDir = mkdtempSync(join(tmpdir(), 'callvault-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], timeout: 20_000 });
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await app?.close();
  if (env) await deleteQueueKeys(env.redis, env.config.QUEUE_PREFIX);
  await env?.close();
});

async function signIn(page: Page, token: string) {
  const first = await page.goto(`${baseUrl}/admin/queues`);
  expect(first?.status()).toBe(401); // no session yet: the sign-in form
  await page.fill('input[name="token"]', token);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  return response;
}

describe.skipIf(!haveChromium)('the queue board in a browser', () => {
  it('signs a superadmin in and renders every queue', async () => {
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(baseUrl) && response.status() >= 400 && !response.url().endsWith('/admin/queues'))
        failed.push(`${response.status()} ${response.url()}`);
    });
    const landed = await signIn(page, tokens.superadmin);
    expect(landed?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/queues\/?$/);
    for (const name of QUEUE_NAMES) {
      await page.getByText(name, { exact: true }).first().waitFor({ state: 'visible', timeout: 15_000 });
    }
    expect(await page.title()).toBe('callvault queues');
    // The session cookie is HttpOnly: page scripts cannot read it.
    // (A string expression: it runs in the page, and this package is type-checked without the DOM lib.)
    expect(await page.evaluate<string>('document.cookie')).not.toContain('callvault_admin');
    const cookie = (await context.cookies(`${baseUrl}/admin/queues`)).find((candidate) => candidate.name === 'callvault_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(failed).toEqual([]);
    if (process.env.BROWSER_CHECK_SCREENSHOT) await page.screenshot({ path: process.env.BROWSER_CHECK_SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('refuses a company_admin', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    const refused = await signIn(page, tokens.companyAdmin);
    expect(refused?.status()).toBe(403);
    await expect(page.locator('#message').textContent()).resolves.toContain('superadmin');
    const board = await page.goto(`${baseUrl}/admin/queues`);
    expect(board?.status()).toBe(401);
    await page.close();
  });
});
