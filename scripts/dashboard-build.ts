import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DASHBOARD = join(ROOT, 'services', 'dashboard');
const DIST = join(DASHBOARD, 'dist');
const STAMP = join(DIST, '.source-hash');
/** What the build reads: its sources, its config, and the typed client it imports. */
const INPUTS = [
  'services/dashboard/src',
  'services/dashboard/public',
  'services/dashboard/index.html',
  'services/dashboard/vite.config.ts',
  'services/dashboard/package.json',
  'packages/api-client/src',
  'pnpm-lock.yaml',
];

function files(path: string): string[] {
  const absolute = join(ROOT, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [absolute];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .map((name) => join(absolute, name))
    .filter((name) => statSync(name).isFile())
    .sort();
}

export function dashboardSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/**
 * Builds services/dashboard/dist unless it was built from exactly these sources (a hash of them
 * is kept beside the build): `pnpm start` then serves the current app at /app without rebuilding
 * on every start. Returns whether it built.
 */
export function ensureDashboardBuilt(log: (line: string) => void): boolean {
  const hash = dashboardSourceHash();
  if (existsSync(join(DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return false;
  log('building the dashboard (its sources changed) ...');
  const output = execFileSync(process.execPath, [join(DASHBOARD, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: DASHBOARD,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (output.trim()) log(output.trim());
  log(execFileSync(process.execPath, ['--import', 'tsx', join(DASHBOARD, 'scripts', 'report-bundle.ts')], { cwd: DASHBOARD, encoding: 'utf8' }).trim());
  writeFileSync(STAMP, hash);
  return true;
}
