/**
 * Assembles the filesystem a service's image runs from, into one directory:
 *
 *   main.mjs                  its esbuild bundle (scripts/build-services.ts); not minified, so a
 *                             stack trace names readable bundle lines without the 10 MiB source map
 *   <script>.mjs              operator scripts bundled beside it (the cli: reencrypt-secrets.mjs)
 *   node_modules/             only the packages the bundle leaves external (files they serve from
 *                             their own directory), with their own dependencies, laid out as npm would
 *   package.json              {"type":"module"}
 *
 * infra/Dockerfile's build stage runs it and the runtime stage copies the directory as it is, so
 * `pnpm images:contents` measures an image's contents without a Docker engine by running it too.
 *
 *   npx tsx scripts/assemble-image.ts <service> <directory>
 */
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServices, bundlePath, externalPackagesOf, extraBundlesOf, PACKAGE_DIRS } from './build-services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The directory of package `name` as Node would resolve it from `fromDir` (node_modules upwards). */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

interface PackageManifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Where Node looks for `name` from a package installed at `installPath` ('' for the root), nearest first. */
function lookupChain(installPath: string, name: string): string[] {
  const chain: string[] = [];
  for (let current = installPath; ; ) {
    chain.push(current ? `${current}/node_modules/${name}` : `node_modules/${name}`);
    if (!current) return chain;
    const parent = current.lastIndexOf('/node_modules/');
    current = parent < 0 ? '' : current.slice(0, parent);
  }
}

/**
 * `names` and everything they depend on at run time, resolved the way pnpm laid them out, as
 * install path (relative to the image directory) → package directory. Each package goes to the
 * top-level node_modules unless another version already answers there for its dependent; then
 * it is nested under that dependent, as npm would lay it out.
 */
export function runtimeClosure(names: string[], fromDir: string): Map<string, string> {
  const installed = new Map<string, string>();
  const visit = (name: string, from: string, dependentPath: string, optional: boolean) => {
    const dir = packageDir(name, from);
    if (!dir) {
      if (optional) return;
      throw new Error(`cannot resolve ${name} from ${from}`);
    }
    const chain = lookupChain(dependentPath, name);
    const answering = chain.find((path) => installed.has(path));
    if (answering !== undefined && installed.get(answering) === dir) return;
    const installPath = answering === undefined ? chain.at(-1)! : chain[0]!;
    installed.set(installPath, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir, installPath, false);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) visit(dependency, dir, installPath, true);
    // Required peers are loaded at run time too (@bull-board/api loads bullmq); optional ones
    // (valibot's typescript) are only used when the application brings them, which a bundle doesn't.
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
      if (manifest.peerDependenciesMeta?.[peer]?.optional !== true) visit(peer, dir, installPath, false);
    }
  };
  for (const name of names) visit(name, fromDir, '', false);
  return installed;
}

/** Type declarations, source maps and prose are not run or served: left out of the image. */
const NOT_RUNTIME = /\.(d\.[cm]?ts|map|md|markdown)$/i;

function isRuntimeFile(relativePath: string): boolean {
  return !relativePath.includes('/node_modules') && !NOT_RUNTIME.test(relativePath);
}

/** Builds the service's bundle and writes its image filesystem into `outDir` (emptied first). */
export async function assembleImage(service: string, outDir: string): Promise<void> {
  await buildServices([service]);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundle = join(ROOT, bundlePath(service));
  cpSync(bundle, join(outDir, 'main.mjs'));
  for (const [file, path] of Object.entries(extraBundlesOf(service))) cpSync(join(ROOT, path), join(outDir, file));
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ name: `callvault-${service}`, private: true, type: 'module' }, null, 2)}\n`);
  const closure = runtimeClosure(externalPackagesOf(service), join(ROOT, PACKAGE_DIRS[service]!));
  for (const [installPath, dir] of closure) {
    // Only the package's own files: pnpm's nested node_modules hold links to its dependencies,
    // which the closure places itself.
    cpSync(dir, join(outDir, installPath), { recursive: true, dereference: true, filter: (source) => isRuntimeFile(source.slice(dir.length)) });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [service, outDir] = process.argv.slice(2);
  if (!service || !outDir) throw new Error('usage: tsx scripts/assemble-image.ts <service> <directory>');
  await assembleImage(service, resolve(outDir));
  console.log(`assembled ${service} into ${resolve(outDir)}`);
}
