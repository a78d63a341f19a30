import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '@callvault/auth';
import { buildApp as buildGateway, composeGateway } from '@callvault/gateway';
import { freePort, tokenFor } from '@callvault/testing';
import { buildDashboard } from './build-dashboard';
import { axeViolations, haveChromium, launchChromium, screenshotDir, serious, signInThroughIssuer, VIEWPORTS, watchedContext } from './browser-kit';
import { API_SCOPE, startOidcIssuer, type OidcIssuer } from './oidc-issuer';
import { startPipelineStack, type PipelineStack } from './pipeline-stack';
import { seedWorld, type World } from './seed-world';

/**
 * The dashboard in Debian's Chromium against the real stack: every service of a call's path,
 * the gateway serving the freshly built app at /app, and a real OpenID Connect issuer that each
 * role signs in through (the gateway verifies its RS256 tokens through the issuer's JWKS).
 */
if (!haveChromium && process.env.CI) throw new Error('/usr/bin/chromium is missing: .ci/run must install Debian chromium');

let build: { dir: string; report: string };
let issuer: OidcIssuer;
let stack: PipelineStack;
let world: World;
let browser: Browser;
const contexts: Array<{ context: BrowserContext; problems: string[] }> = [];
const pages: Partial<Record<'agent1' | 'manager' | 'admin' | 'superadmin', Page>> = {};

beforeAll(async () => {
  if (!haveChromium) return;
  build = buildDashboard();
  process.stdout.write(`${build.report}\n`);
  const gatewayPort = await freePort();
  const issuerPort = await freePort();
  issuer = await startOidcIssuer({ port: issuerPort, redirectUri: `http://127.0.0.1:${gatewayPort}/app/callback` });
  stack = await startPipelineStack({
    gatewayPort,
    dashboardDir: build.dir,
    env: {
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_ISSUER: issuer.issuer,
      AUTH_AUDIENCE: issuer.audience,
      OIDC_ISSUER_URL: issuer.issuer,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_SCOPES: `openid profile email ${API_SCOPE}`,
    },
  });
  world = await seedWorld(stack);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const { context } of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.close();
  await issuer?.close();
  if (build) rmSync(build.dir, { recursive: true, force: true });
});

async function newContext() {
  const watched = await watchedContext(browser);
  contexts.push(watched);
  return watched.context;
}

// The page's CSP forbids eval, so no string predicates (waitForFunction): values are read and polled from here.
const audioTime = (page: Page) => page.locator('audio').evaluate((audio) => (audio as unknown as { currentTime: number }).currentTime);

const rowIds = async (page: Page) => {
  await page.locator('tr[data-recording-id]').first().waitFor({ timeout: 15_000 });
  return (await page.locator('tr[data-recording-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-recording-id') ?? ''))).sort();
};

describe.skipIf(!haveChromium)('the dashboard in a browser', () => {
  it('signs each role in through the OIDC issuer and lists exactly the recordings that role may see', { timeout: 90_000 }, async () => {
    const r = world.recordings;
    const expected = {
      agent1: [r.agent1],
      manager: [r.agent1, r.agent2],
      admin: [r.agent1, r.agent2, r.agent3],
      superadmin: [r.agent1, r.agent2, r.agent3, r.agentB],
    } as const;
    for (const role of ['agent1', 'manager', 'admin', 'superadmin'] as const) {
      const page = await signInThroughIssuer(await newContext(), { gatewayUrl: stack.gatewayUrl, issuer: issuer.issuer, subject: world.subjects[role] });
      expect(await rowIds(page), role).toEqual([...expected[role]].sort());
      pages[role] = page;
    }
    // The token is in this tab's sessionStorage only: no cookie carries it.
    const token = await pages.agent1!.evaluate<string>('sessionStorage.getItem("callvault.token") ?? ""');
    expect(token).toMatch(/^ey/);
    // (Cookies ignore ports: the issuer's own session cookie on 127.0.0.1 is visible here, and is not ours.)
    const cookies = await pages.agent1!.context().cookies(stack.gatewayUrl);
    expect(cookies.filter((cookie) => cookie.value.includes(token.slice(-20)) || cookie.name.startsWith('callvault'))).toEqual([]);
  });

  it('plays a recording through its signed URL with Range, and a transcript line seeks the audio', async () => {
    const page = pages.agent1!;
    const ranged: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(stack.env.config.S3_ENDPOINT!) && request.headers().range) ranged.push(request.headers().range!);
    });
    await page.goto(`${stack.gatewayUrl}/app/recordings/${world.recordings.agent1}`);
    await page.getByRole('button', { name: '▶ Play recording' }).click();
    await expect.poll(() => audioTime(page), { timeout: 20_000 }).toBeGreaterThan(1);
    expect(ranged.length).toBeGreaterThan(0);
    // The waveform decodes the bytes fetched from storage (CORS) and draws both channels.
    await page
      .getByRole('img', { name: /^Waveform/ })
      .waitFor({ timeout: 20_000 })
      .catch(async (error: unknown) => {
        throw new Error(`no waveform; the page says: ${await page.locator('main').textContent()}`, { cause: error });
      });
    expect(await page.locator('.timeline-row').count()).toBe(2);
    // Keyboard: the talk timeline is a slider, and an arrow key moves the audio on.
    const before = await audioTime(page);
    await page.getByRole('slider', { name: 'Talk timeline' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => audioTime(page), { timeout: 10_000 }).toBeGreaterThan(before + 4);

    const line = page.locator('button.line').nth(3);
    const start = Number(await line.getAttribute('data-start'));
    expect(start).toBeGreaterThan(3);
    await line.click();
    await expect.poll(async () => Math.abs((await audioTime(page)) - start), { timeout: 10_000 }).toBeLessThan(1.5);
    // The line being heard is marked as current.
    await page.locator(`li[aria-current="true"] button[data-start="${start}"]`).waitFor({ timeout: 10_000 });
    // Keyboard: a focused line seeks on Enter.
    const later = page.locator('button.line').nth(5);
    const laterStart = Number(await later.getAttribute('data-start'));
    await later.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => Math.abs((await audioTime(page)) - laterStart), { timeout: 10_000 }).toBeLessThan(1.5);
    // Redactions are visible as such, as text.
    await expect(page.locator('mark.redacted').first().textContent()).resolves.toBe('[REDACTED CARD]');
    await page.evaluate('document.querySelector("audio").pause()');
  });

  it('searches transcripts in scope and highlights the words, as text', async () => {
    await pages.agent1!.goto(`${stack.gatewayUrl}/app/search?q=appointment`);
    await pages.agent1!.locator('.results li').first().waitFor();
    expect(await pages.agent1!.locator('.results li').count()).toBe(1);
    expect(await pages.agent1!.locator('.snippet mark').first().textContent()).toBe('appointment');
    await pages.manager!.goto(`${stack.gatewayUrl}/app/search?q=appointment`);
    await pages.manager!.locator('.results li').first().waitFor();
    expect(await pages.manager!.locator('.results li').count()).toBe(2);
  });

  it('stars a recording, and the starred filter finds it', async () => {
    const page = pages.agent1!;
    await page.goto(`${stack.gatewayUrl}/app/recordings/${world.recordings.agent1}`);
    await page.getByRole('button', { name: '☆ Star' }).click();
    await page.getByRole('button', { name: '★ Starred' }).waitFor();
    const row = await stack.env.ownerDb.selectFrom('recordings').select('starred').where('id', '=', world.recordings.agent1).executeTakeFirstOrThrow();
    expect(row.starred).toBe(true);
    await page.goto(`${stack.gatewayUrl}/app/recordings?starred=true`);
    expect(await rowIds(page)).toEqual([world.recordings.agent1]);
    // An agent may not delete nor re-run: those controls are not offered.
    await page.goto(`${stack.gatewayUrl}/app/recordings/${world.recordings.agent1}`);
    await page.getByRole('button', { name: '★ Starred' }).waitFor();
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Re-run transcript' }).count()).toBe(0);
  });

  it("moves an agent under the manager, and the manager's list changes", async () => {
    const admin = pages.admin!;
    await admin.goto(`${stack.gatewayUrl}/app/admin/users`);
    await admin.locator(`#manager-${world.ids.agent3}`).selectOption(world.ids.manager);
    await admin.getByRole('status').filter({ hasText: 'Cleo Agent saved.' }).waitFor();
    const row = await stack.env.ownerDb.selectFrom('users').select('manager_id').where('id', '=', world.ids.agent3).executeTakeFirstOrThrow();
    expect(row.manager_id).toBe(world.ids.manager);
    const manager = pages.manager!;
    await manager.goto(`${stack.gatewayUrl}/app/recordings`);
    const r = world.recordings;
    expect(await rowIds(manager)).toEqual([r.agent1, r.agent2, r.agent3].sort());
    // A manager's recording page offers what a manager may do.
    await manager.goto(`${stack.gatewayUrl}/app/recordings/${r.agent3}`);
    await manager.getByRole('button', { name: 'Re-run transcript' }).waitFor();
    expect(await manager.getByRole('button', { name: 'Place legal hold' }).count()).toBe(0);
  });

  it('creates an API key as a company admin and shows the key once', { timeout: 60_000 }, async () => {
    const admin = pages.admin!;
    await admin.goto(`${stack.gatewayUrl}/app/admin/api-keys`);
    await admin.getByRole('heading', { name: 'API keys' }).waitFor({ timeout: 10_000 });
    await admin.getByLabel('Name', { exact: true }).fill('Reporting export', { timeout: 10_000 });
    await admin.getByLabel('Role').selectOption('company_admin', { timeout: 10_000 });
    await admin.getByRole('button', { name: 'Create key' }).click();
    const shown = admin.locator('.shown-once .secret');
    await shown.waitFor({ timeout: 10_000 });
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^cvk_/);
    await admin.getByText('it will not be shown again').waitFor();
    // The list shows the key's prefix only; once dismissed, the key is nowhere on the page.
    const row = admin.locator('tr[data-key-id]').filter({ hasText: 'Reporting export' });
    expect(key.startsWith((await row.locator('code').textContent()) ?? 'none')).toBe(true);
    await admin.getByRole('button', { name: 'I have stored it' }).click();
    expect(await admin.locator('.shown-once .secret').count()).toBe(0);
    await admin.reload();
    await row.waitFor();
    expect(await admin.locator('main').textContent()).not.toContain(key);
  });

  it('adds a webhook endpoint, shows its signing secret once, lists its deliveries and disables it', { timeout: 60_000 }, async () => {
    const admin = pages.admin!;
    await admin.goto(`${stack.gatewayUrl}/app/admin/webhooks`);
    await admin.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/hook', { timeout: 10_000 });
    await admin.getByLabel('call.completed').check();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const shown = admin.locator('.shown-once .secret');
    await shown.waitFor({ timeout: 10_000 });
    expect(await shown.textContent()).toMatch(/^whsec_/);
    await admin.getByRole('button', { name: 'I have stored it' }).click();
    const row = admin.locator('tr[data-endpoint-id]').filter({ hasText: 'http://127.0.0.1:9/hook' });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    await admin.getByText('Nothing has been sent to this endpoint yet.').waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByRole('button', { name: 'Enable' }).waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(3).textContent()).toContain('disabled');
  });

  it("shows not found to an agent who opens another agent's recording", async () => {
    const page = pages.agent1!;
    await page.goto(`${stack.gatewayUrl}/app/recordings/${world.recordings.agent2}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.locator('audio').count()).toBe(0);
    await page.goto(`${stack.gatewayUrl}/app/recordings/${world.recordings.agentB}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  });

  it('signs in with a development link where no issuer is set, and a 401 leads to sign-in and back', async () => {
    // The same world behind a gateway without an identity provider: HS256 tokens, development sign-in.
    const {
      AUTH_JWKS_URL: _jwks,
      AUTH_ISSUER: _issuer,
      AUTH_AUDIENCE: _audience,
      OIDC_ISSUER_URL: _oidc,
      OIDC_CLIENT_ID: _client,
      ...plain
    } = stack.env.config;
    const env = stack.env;
    const devGateway = await buildGateway({
      ...composeGateway({
        config: { ...plain, AUTH_JWKS_URL: undefined, OIDC_ISSUER_URL: undefined } as typeof env.config,
        db: env.db,
        storage: env.storage,
        log: env.log,
      }),
      dashboardDir: build.dir,
    });
    const port = await freePort();
    await devGateway.listen({ host: '127.0.0.1', port });
    try {
      const base = `http://127.0.0.1:${port}`;
      const page = await (await newContext()).newPage();
      const token = await tokenFor(env, world.subjects.agent1);
      await page.goto(`${base}/app#token=${token}`);
      await page.waitForURL(`${base}/app/recordings`);
      expect(await rowIds(page)).toEqual([world.recordings.agent1]);
      expect(page.url()).not.toContain('token');
      // A token the gateway refuses: the first API answer is 401, the app asks to sign in, then returns.
      const forged = await mintToken({ secret: 'not-the-gateway-secret-'.repeat(2), subject: world.subjects.agent1, ttlSeconds: 600 });
      await page.goto(`${base}/app/search?q=friday#token=${forged}`);
      await page.waitForURL(`${base}/app/sign-in`);
      await page.getByLabel('Token').fill(token);
      await page.getByRole('button', { name: 'Sign in with this token' }).click();
      await page.waitForURL(`${base}/app/search?q=friday`);
      await page.locator('.results li').first().waitFor();
      expect(await page.getByRole('button', { name: 'Sign in with your organisation' }).count()).toBe(0);
    } finally {
      await devGateway.close();
    }
  });

  it('passes axe on every page and captures each at 1280×800 and 375×812', { timeout: 180_000 }, async () => {
    const dir = screenshotDir();
    const r = world.recordings;
    const admin = pages.admin!;
    const superadmin = pages.superadmin!;
    const signInPage = await (await newContext()).newPage();
    const visits: Array<{ name: string; page: Page; path: string }> = [
      { name: 'sign-in', page: signInPage, path: '/app/sign-in' },
      { name: 'recordings', page: admin, path: '/app/recordings' },
      { name: 'recording', page: admin, path: `/app/recordings/${r.agent1}` },
      { name: 'calls', page: admin, path: '/app/calls' },
      { name: 'search', page: admin, path: '/app/search?q=friday' },
      { name: 'stats', page: admin, path: '/app/stats' },
      { name: 'users', page: admin, path: '/app/admin/users' },
      { name: 'numbers', page: admin, path: '/app/admin/numbers' },
      { name: 'api-keys', page: admin, path: '/app/admin/api-keys' },
      { name: 'webhooks', page: admin, path: '/app/admin/webhooks' },
      { name: 'settings', page: admin, path: '/app/admin/settings' },
      { name: 'audit', page: admin, path: '/app/admin/audit' },
      { name: 'not-found', page: admin, path: '/app/no-such-page' },
      { name: 'companies', page: superadmin, path: '/app/admin/companies' },
      { name: 'quarantine', page: superadmin, path: '/app/admin/quarantine' },
    ];
    const findings: string[] = [];
    const counted: Record<string, number> = {};
    for (const visit of visits) {
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        await visit.page.setViewportSize(viewport);
        await visit.page.goto(`${stack.gatewayUrl}${visit.path}`);
        await visit.page.locator('h1').first().waitFor();
        // Settled: no loading state left on the page.
        await visit.page.locator('.state[role=status]').first().waitFor({ state: 'detached', timeout: 15_000 });
        if (visit.name === 'stats') await visit.page.locator('.recharts-surface').first().waitFor();
        if (visit.name === 'recording') {
          // The player loaded: waveform and talk timeline are part of the page that is checked.
          await visit.page.getByRole('button', { name: '▶ Play recording' }).click();
          await visit.page.getByRole('img', { name: /^Waveform/ }).waitFor({ timeout: 20_000 });
          await visit.page.evaluate('document.querySelector("audio").pause()');
        }
        await visit.page.screenshot({ path: join(dir, `${visit.name}-${size}.png`), fullPage: true });
        const violations = await axeViolations(visit.page);
        counted[`${visit.name}@${size}`] = violations.length;
        findings.push(...serious(violations).map((finding) => `${visit.name}@${size}: ${finding}`));
      }
    }
    process.stdout.write(`dashboard screenshots: ${dir}\naxe violations per page (any impact): ${JSON.stringify(counted)}\n`);
    expect(findings).toEqual([]);
  });

  it('ran every page under its CSP without a refusal or an uncaught error', () => {
    expect(contexts.flatMap((watched) => watched.problems)).toEqual([]);
  });
});
