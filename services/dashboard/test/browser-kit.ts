import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, haveChromium } from '@callvault/testing';

// Headless has no sound card: audio plays against a fake output, so currentTime advances.
const DASHBOARD_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'];
export { haveChromium };

export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 812 } } as const;

/** playwright's launch makes a fresh temporary profile per browser: no state from earlier runs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: DASHBOARD_CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * A context whose page errors and CSP violations are collected: the app must run under its own
 * strict policy without a single refusal, and without uncaught errors.
 */
export async function watchedContext(
  browser: Browser,
  viewport: { width: number; height: number } = VIEWPORTS.desktop,
): Promise<{ context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ viewport });
  const problems: string[] = [];
  context.on('page', (page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(`csp: ${message.text()}`);
    });
  });
  return { context, problems };
}

/** The whole OIDC round trip: the app's sign-in button, the issuer's login form, back with a code. */
export async function signInThroughIssuer(
  context: BrowserContext,
  input: { gatewayUrl: string; issuer: string; subject: string; path?: string },
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${input.gatewayUrl}${input.path ?? '/app/recordings'}`);
  await page.waitForURL('**/app/sign-in');
  await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
  await page.waitForURL(`${input.issuer}/**`);
  await page.fill('input[name="login"]', input.subject);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  // The issuer's consent page, the first time this user meets the dashboard.
  const consent = page.getByRole('button', { name: 'Continue' });
  await Promise.race([consent.waitFor({ timeout: 10_000 }).then(() => consent.click()), page.waitForURL(`${input.gatewayUrl}/**`, { timeout: 10_000 })]).catch(
    () => undefined,
  );
  try {
    await page.waitForURL(`${input.gatewayUrl}${input.path ?? '/app/recordings'}**`, { timeout: 20_000 });
  } catch (error) {
    // Where the round trip stopped says more than a timeout.
    const text =
      (await page
        .locator('body')
        .textContent()
        .catch(() => null)) ?? '';
    throw new Error(`sign-in of ${input.subject} stopped at ${page.url()}: ${text.slice(0, 500)}`, { cause: error });
  }
  return page;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page (evaluated through the devtools protocol, which the page's CSP does not govern). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate<{ violations: AxeViolation[] }>("axe.run(document, { resultTypes: ['violations'] })");
  return result.violations;
}

export const serious = (violations: AxeViolation[]) =>
  violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);

export function screenshotDir(): string {
  const dir = process.env.DASHBOARD_SCREENSHOTS ?? join(import.meta.dirname, '..', '..', '..', '.local', 'dashboard-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
