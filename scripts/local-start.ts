import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { loadConfig } from '@callvault/config';
import { migrateToLatest } from '@callvault/db';
import { createStorage, allowBrowserReads } from '@callvault/storage';
import { startEmbeddedS3, type EmbeddedS3 } from '@callvault/testing';
import { ensureDashboardBuilt } from './dashboard-build';
import { ensureDatabase } from './ensure-database';
import { loadOrCreateLocalSecrets } from './local-secrets';

/**
 * `pnpm start`: the whole system on this machine. Postgres and Redis must be running; storage is
 * an embedded S3-protocol server unless S3_ENDPOINT is set. Migrates, starts the five services
 * and the provider simulator, waits until each is ready, and prints where everything is.
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = process.env.CALLVAULT_DATA_DIR ?? join(root, '.local');
const SIM_PORT = Number(process.env.SIM_PORT ?? 3010);
const S3_PORT = Number(process.env.LOCAL_S3_PORT ?? 4569);

const SERVICES = [
  { name: 'gateway', port: 3000 },
  { name: 'ingest', port: 3001 },
  { name: 'recording-fetcher', port: 3002 },
  { name: 'transcriber', port: 3003 },
  { name: 'analytics', port: 3004 },
  { name: 'operations', port: 3005 },
] as const;

const children: ChildProcess[] = [];
let s3: EmbeddedS3 | undefined;

function run(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => process.stdout.write(`${name.padEnd(17)} | ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`${name} exited (${signal ?? code}); stopping everything\n`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
  await s3?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready`);
}

async function main() {
  const env: NodeJS.ProcessEnv = { ...loadOrCreateLocalSecrets(dataDir), ...process.env };
  env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/callvault';
  env.MEDIA_FETCH_ALLOWED_HOSTS ??= `api.twilio.com,api.vapi.ai,storage.vapi.ai,127.0.0.1:${SIM_PORT}`;
  env.TWILIO_API_BASE_URL ??= `http://127.0.0.1:${SIM_PORT}`;
  env.VAPI_API_BASE_URL ??= `http://127.0.0.1:${SIM_PORT}`;
  // The simulator also speaks Deepgram's API, so local recordings get speech-to-text transcripts.
  env.DEEPGRAM_API_BASE_URL ??= `http://127.0.0.1:${SIM_PORT}`;
  env.DEEPGRAM_API_KEY ??= 'local-simulator-key';
  if (!env.S3_ENDPOINT) {
    s3 = await startEmbeddedS3({ directory: join(dataDir, 's3'), port: S3_PORT, buckets: [env.S3_BUCKET ?? 'callvault-recordings'] });
    env.S3_ENDPOINT = s3.endpoint;
  }
  const config = loadConfig(env, ['SECRETS_KEY', 'TAG_SIGNING_KEY', 'AUTH_JWT_SECRET']);

  await ensureDatabase(config.DATABASE_URL);
  const owner = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 }) }) });
  try {
    await migrateToLatest(owner, config.DATABASE_APP_PASSWORD);
  } finally {
    await owner.destroy();
  }

  ensureDashboardBuilt((line) => process.stdout.write(`dashboard         | ${line}\n`));
  // The dashboard reads recordings from storage with fetch (waveform, download): allow its origin.
  if (s3) {
    const storage = createStorage({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
    await allowBrowserReads(storage, ['http://127.0.0.1:3000', 'http://localhost:3000']);
  }

  run('simulator', 'packages/simulator/src/serve.ts', { ...env, SIM_PORT: String(SIM_PORT), SIM_DEEPGRAM_KEY: env.DEEPGRAM_API_KEY });
  for (const service of SERVICES) run(service.name, `services/${service.name}/src/main.ts`, env);
  await Promise.all([...SERVICES.map((service) => waitReady(`http://127.0.0.1:${service.port}/readyz`)), waitReady(`http://127.0.0.1:${SIM_PORT}/healthz`)]);

  process.stdout.write(`
callvault is running (Ctrl-C stops everything)
  gateway            http://127.0.0.1:3000   (API /v1, docs /docs)
  dashboard          http://127.0.0.1:3000/app   (sign in: pnpm demo prints a link per role, or paste a \`pnpm cli token\`)
  ingest             http://127.0.0.1:3001   (webhooks /webhooks/*; PUBLIC_BASE_URL=${config.PUBLIC_BASE_URL})
  recording-fetcher  http://127.0.0.1:3002/readyz
  transcriber        http://127.0.0.1:3003/readyz
  analytics          http://127.0.0.1:3004/readyz
  operations         http://127.0.0.1:3005/readyz   (sync, replay, re-drive, retention, rollups, object removal)
  storage (S3)       ${config.S3_ENDPOINT}  bucket ${config.S3_BUCKET}${s3 ? ' (embedded)' : ''}
  simulator          http://127.0.0.1:${SIM_PORT}   (Twilio/VAPI stand-in)
  secrets            ${join(dataDir, 'secrets.env')}

Try one call end to end: npx -y pnpm@10 journey
`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`local start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
});
