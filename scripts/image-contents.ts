/**
 * `pnpm images:contents`: the size of each image's contents, measured without a Docker engine.
 *
 * now:    what infra/Dockerfile's runtime stage copies, built by the same script
 *         (scripts/assemble-image.ts) into a temporary directory;
 * before: what the previous recipe put in /app: the repository (its tracked files) plus the
 *         service's pnpm install (workspace root with dev dependencies, minus the tool chains it
 *         deleted), installed offline from the local store into a temporary directory.
 *
 * The base image (node:24-bookworm-slim) comes on top of both. `--now-only` skips the installs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleImage } from './assemble-image';
import { bundlePath, PACKAGE_DIRS } from './build-services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Contents {
  bytes: number;
  files: number;
}

/** Bytes of regular files and symlinks under `dir`, as a copy into an image layer stores them. */
export function measureDirectory(dir: string): Contents {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = measureDirectory(path);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += lstatSync(path).size;
      files += 1;
    }
  }
  return { bytes, files };
}

/** The repository's tracked files: what the previous recipe's `COPY . .` added. */
function measureRepository(): Contents {
  const paths = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  let bytes = 0;
  for (const path of paths) bytes += lstatSync(join(ROOT, path), { throwIfNoEntry: false })?.size ?? 0;
  return { bytes, files: paths.length };
}

/** The previous recipe's node_modules for `service`, installed offline into `dir`. */
function measurePreviousInstall(service: string, dir: string): Contents {
  const manifests = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', ...Object.values(readWorkspaceManifests())];
  for (const path of manifests) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path));
  }
  const name = service === 'cli' ? '@callvault/cli' : `@callvault/${service}`;
  execFileSync(
    'npx',
    ['-y', 'pnpm@10', 'install', '--offline', '--frozen-lockfile', '--prod=false', '--ignore-scripts', '--filter', '{.}', '--filter-prod', `${name}...`],
    { cwd: dir, stdio: 'ignore' },
  );
  // What the previous recipe deleted, and the Node.js binary it did not have (Node came with its base image).
  const store = join(dir, 'node_modules', '.pnpm');
  const dropped = /^(typescript@|vitest@|@vitest\+|vite@|rolldown@|@rolldown\+|@oxc-project\+|lightningcss|postcss@|chai@|@types\+|node@|node-linux-)/;
  for (const entry of readdirSync(store)) if (dropped.test(entry)) rmSync(join(store, entry), { recursive: true, force: true });
  return measureDirectory(join(dir, 'node_modules'));
}

function readWorkspaceManifests(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const parent of ['packages', 'services']) {
    for (const entry of readdirSync(join(ROOT, parent))) out[`${parent}/${entry}`] = `${parent}/${entry}/package.json`;
  }
  return out;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const nowOnly = process.argv.includes('--now-only');
  const work = mkdtempSync(join(tmpdir(), 'callvault-image-contents-'));
  try {
    const repository = nowOnly ? undefined : measureRepository();
    console.log('image contents (MiB, files), base image not included');
    console.log(`${'image'.padEnd(18)} ${'now'.padStart(8)} ${'files'.padStart(6)}${nowOnly ? '' : `  ${'before'.padStart(8)} ${'files'.padStart(6)}`}`);
    for (const service of Object.keys(PACKAGE_DIRS)) {
      const image = join(work, 'image', service);
      await assembleImage(service, image);
      const now = measureDirectory(image);
      let line = `${service.padEnd(18)} ${mib(now.bytes).padStart(8)} ${String(now.files).padStart(6)}`;
      if (repository) {
        const install = measurePreviousInstall(service, join(work, 'before', service));
        // The previous image also built the bundle (and its source map) inside the repository.
        const bundleBytes = [bundlePath(service), `${bundlePath(service)}.map`].reduce((sum, path) => sum + lstatSync(join(ROOT, path)).size, 0);
        const bundle = { bytes: bundleBytes, files: 2 };
        const before = { bytes: repository.bytes + install.bytes + bundle.bytes, files: repository.files + install.files + bundle.files };
        line += `  ${mib(before.bytes).padStart(8)} ${String(before.files).padStart(6)}`;
      }
      console.log(line);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
