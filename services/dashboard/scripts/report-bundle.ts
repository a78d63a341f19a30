import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/**
 * After `vite build`: precompresses every text asset (the gateway serves .br/.gz as they are) and
 * prints the JavaScript the first page loads (the entry and its static imports, gzipped) against
 * the 300 KB budget; over budget fails the build. Lazy chunks (the charts) are not counted.
 */
const DIST = process.argv[2] ?? join(import.meta.dirname, '..', 'dist');
const BUDGET_BYTES = 300 * 1024;

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;
const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;

function initialFiles(): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return seen;
}

for (const name of readdirSync(join(DIST, 'assets'))) {
  if (!/\.(js|css|svg|json)$/.test(name)) continue;
  const path = join(DIST, 'assets', name);
  const body = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${path}.br`, brotliCompressSync(body));
}

let initialGzip = 0;
let initialRaw = 0;
for (const file of initialFiles()) {
  initialRaw += statSync(join(DIST, file)).size;
  initialGzip += statSync(join(DIST, `${file}.gz`)).size;
}
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
process.stdout.write(`dashboard initial JS: ${kb(initialGzip)} gzipped (${kb(initialRaw)} raw); budget ${kb(BUDGET_BYTES)} gzipped\n`);
if (initialGzip > BUDGET_BYTES) {
  process.stderr.write('dashboard initial JS is over its budget\n');
  process.exit(1);
}
