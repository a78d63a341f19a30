import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE_DIR = join(import.meta.dirname, '..');

/**
 * Builds the dashboard from its sources into a fresh directory (so the tests never serve a stale
 * build, nor disturb services/dashboard/dist of a running `pnpm start`) and returns the build's
 * bundle-size line.
 */
export function buildDashboard(): { dir: string; report: string } {
  const dir = mkdtempSync(join(tmpdir(), 'callvault-dashboard-build-'));
  const bin = (name: string) => join(PACKAGE_DIR, 'node_modules', '.bin', name);
  // NODE_ENV is `test` under vitest: React would be built in development mode, bigger and slower.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync(bin('vite'), ['build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: PACKAGE_DIR, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const report = execFileSync(bin('tsx'), ['scripts/report-bundle.ts', dir], { cwd: PACKAGE_DIR, encoding: 'utf8' });
  return { dir, report: report.trim() };
}
