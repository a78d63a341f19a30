/**
 * Bundles each service (and the CLI) into one ES module: <its package>/dist/main.mjs. Production runs
 * these with plain `node` (the image does): no TypeScript loader in the process, which keeps a
 * worker's resident memory about 60 MiB lower than under tsx (measured on the fetcher: 109 vs
 * 172 MiB idle). Development, tests and `pnpm start` keep running the sources through tsx.
 *
 *   npx tsx scripts/build-services.ts [name ...]   (default: every service and the cli)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Package directory of each bundle; the entry point is src/main.ts, the output dist/main.mjs. */
export const PACKAGE_DIRS: Record<string, string> = {
  ingest: 'services/ingest',
  'recording-fetcher': 'services/recording-fetcher',
  transcriber: 'services/transcriber',
  analytics: 'services/analytics',
  operations: 'services/operations',
  gateway: 'services/gateway',
  cli: 'packages/cli',
};

/**
 * Dependencies that serve files from their own package directory (__dirname, require.resolve)
 * stay outside the bundle; the bundle sits in its package's dist/, so Node resolves them from
 * the package's own node_modules at run time.
 */
const KEEP_EXTERNAL: Record<string, string[]> = {
  // bullmq: @bull-board/api requires it as a peer; external, the bundle and Bull Board share one copy.
  // recheck: resolves its analysis binary (recheck-linux-x64) beside itself; the gateway lists it as
  // a dependency for this alone, so the image carries it (knip is told).
  gateway: ['@fastify/swagger-ui', '@bull-board/api', '@bull-board/fastify', 'bullmq', 'recheck'],
};

/** The packages a service's bundle imports at run time, which its image must carry. */
export const externalPackagesOf = (name: string): string[] => KEEP_EXTERNAL[name] ?? [];

/** Where `pnpm build` puts a service's bundle, relative to the repository root. */
export const bundlePath = (name: string) => `${PACKAGE_DIRS[name]}/dist/main.mjs`;

/**
 * Operator scripts shipped in a package's image next to its main bundle, as dist/<name>.mjs:
 * the cli image re-seals provider credentials after a SECRETS_KEY rotation (docs/operations.md).
 */
const EXTRA_BUNDLES: Record<string, Record<string, string>> = {
  cli: { 'reencrypt-secrets': 'scripts/reencrypt-secrets.ts' },
};

/** The extra bundles of a package (file name in its image → path relative to the repository root). */
export const extraBundlesOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.keys(EXTRA_BUNDLES[name] ?? {}).map((extra) => [`${extra}.mjs`, `${PACKAGE_DIRS[name]}/dist/${extra}.mjs`]));

/**
 * What `callvault_build_info` reports, fixed into the bundle: the version of the package and the
 * commit it was built from (the image build passes `CALLVAULT_COMMIT`; unknown without it).
 */
function buildInfoDefines(entry: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(ROOT, dirname(dirname(entry)), 'package.json'), 'utf8')) as { version?: string };
  return {
    'process.env.CALLVAULT_VERSION': JSON.stringify(manifest.version ?? '0.0.0'),
    'process.env.CALLVAULT_COMMIT': JSON.stringify(process.env.CALLVAULT_COMMIT || 'unknown'),
  };
}

async function bundle(entry: string, outfile: string, external: string[]): Promise<void> {
  await build({
    define: buildInfoDefines(entry),
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The images and package.json's `node` devDependency run Node 24.
    target: 'node24',
    sourcemap: 'linked',
    logLevel: 'warning',
    // CommonJS dependencies (twilio, pg, ...) call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __callvaultCreateRequire } from 'node:module'; const require = __callvaultCreateRequire(import.meta.url);" },
    // Optional native bindings some dependencies try to load inside try/catch.
    external: ['pg-native', ...external],
  });
}

/** Builds the named bundles (and their extra bundles); returns their paths relative to the repository root. */
export async function buildServices(names: string[] = Object.keys(PACKAGE_DIRS)): Promise<string[]> {
  const unknown = names.filter((name) => !(name in PACKAGE_DIRS));
  if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${Object.keys(PACKAGE_DIRS).join(', ')}`);
  const outputs: string[] = [];
  for (const name of names) {
    await bundle(`${PACKAGE_DIRS[name]}/src/main.ts`, bundlePath(name), externalPackagesOf(name));
    outputs.push(bundlePath(name));
    for (const [extra, entry] of Object.entries(EXTRA_BUNDLES[name] ?? {})) {
      const outfile = `${PACKAGE_DIRS[name]}/dist/${extra}.mjs`;
      await bundle(entry, outfile, externalPackagesOf(name));
      outputs.push(outfile);
    }
  }
  return outputs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  const outputs = await buildServices(names.length > 0 ? names : undefined);
  for (const output of outputs) console.log(`built ${output}`);
}
