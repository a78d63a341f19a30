import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisVariables, variablesOf, type ServiceName } from '@callvault/config';
import { createTestEnvironment, freePort, type TestEnvironment } from '@callvault/testing';
import { assembleImage } from '../../../scripts/assemble-image';

/**
 * Each service runs from exactly what its image holds (scripts/assemble-image.ts, which
 * infra/Dockerfile runs), in a directory outside the repository, so nothing resolves from the
 * repository's node_modules; and with only the variables SERVICE_VARIABLES gives it, so a
 * service that needs another one fails here, as it would under docker-compose.yml.
 */
const SERVICES = ['gateway', 'ingest', 'recording-fetcher', 'transcriber', 'analytics', 'operations'] as const satisfies readonly ServiceName[];

let env: TestEnvironment;
let imagesDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  imagesDir = mkdtempSync(join(tmpdir(), 'callvault-images-'));
  for (const service of [...SERVICES, 'cli']) await assembleImage(service, join(imagesDir, service));
}, 240_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await env?.close();
  if (imagesDir) rmSync(imagesDir, { recursive: true, force: true });
});

/** Every variable a local run could set; each service is handed only its own. */
function everyVariable(port: number): Record<string, string> {
  const { config } = env;
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: config.DATABASE_URL,
    DATABASE_APP_URL: config.DATABASE_APP_URL,
    ...redisVariables(env.redis),
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    S3_ENDPOINT: config.S3_ENDPOINT!,
    S3_BUCKET: config.S3_BUCKET,
    SECRETS_KEY: config.SECRETS_KEY!,
    TAG_SIGNING_KEY: config.TAG_SIGNING_KEY!,
    AUTH_JWT_SECRET: config.AUTH_JWT_SECRET!,
    SYNC_INTERVAL_MINUTES: '0',
  };
}

function run(service: string, variables: Record<string, string>, args: string[] = [], script = 'main.mjs') {
  // No PATH, no HOME: the image's process gets nothing but its own variables.
  const child = spawn(process.execPath, [join(imagesDir, service, script), ...args], {
    cwd: join(imagesDir, service),
    env: variables,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitReady(url: string, exited: Promise<unknown>, output: () => unknown): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !gone) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready: ${JSON.stringify(output())}`);
}

describe('service images', () => {
  it.each(SERVICES)(
    '%s starts from its image with only its own variables, without a warning, and stops on SIGTERM',
    async (service) => {
      const port = await freePort();
      const all = everyVariable(port);
      const own = Object.fromEntries(variablesOf(service).flatMap((key) => (all[key] === undefined ? [] : [[key, all[key]]])));
      const started = run(service, own);
      await waitReady(`http://127.0.0.1:${port}/readyz`, started.exited, started.output);
      // Swagger UI serves files from its own package directory: they must be in the image too.
      if (service === 'gateway') expect((await fetch(`http://127.0.0.1:${port}/docs/static/swagger-ui.css`)).status).toBe(200);
      started.child.kill('SIGTERM');
      // Its own logs say which closer failed, or that the deadline passed.
      expect(await started.exited, JSON.stringify(started.output()).slice(-4000)).toBe(0);
      // Node's and the SDKs' warnings (deprecations among them) go to stderr, outside the JSON logs.
      expect(started.output().stderr).toBe('');
    },
    60_000,
  );

  it('ingest from its image sends its spans to the OTLP collector the OTEL_* variables name, the last ones at shutdown', async () => {
    const received: Array<{ path: string; contentType: string | undefined; body: Buffer }> = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    const collectorPort = await freePort();
    await new Promise<void>((resolve) => collector.listen(collectorPort, '127.0.0.1', resolve));
    try {
      const port = await freePort();
      const all: Record<string, string> = { ...everyVariable(port), OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}` };
      const own = Object.fromEntries(variablesOf('ingest').flatMap((key) => (all[key] === undefined ? [] : [[key, all[key]]])));
      const started = run('ingest', own);
      await waitReady(`http://127.0.0.1:${port}/readyz`, started.exited, started.output);
      const unsigned = await fetch(`http://127.0.0.1:${port}/webhooks/twilio/call-status`, { method: 'POST' });
      expect(unsigned.status).toBe(403);
      started.child.kill('SIGTERM');
      // Its own logs say which closer failed, or that the deadline passed.
      expect(await started.exited, JSON.stringify(started.output()).slice(-4000)).toBe(0);
      expect(started.output().stderr).toBe('');
      expect(received.map(({ path, contentType }) => [path, contentType])).toEqual([['/v1/traces', 'application/x-protobuf']]);
      // Protobuf keeps strings as they are: the service's name and the request's span are in the export.
      expect(received[0]!.body.includes('callvault-ingest')).toBe(true);
      expect(received[0]!.body.includes('POST /webhooks/twilio/call-status')).toBe(true);
    } finally {
      collector.close();
    }
  }, 60_000);

  it('the cli image migrates, and re-seals provider credentials with its bundled script', async () => {
    const all = everyVariable(0);
    const own = Object.fromEntries(variablesOf('cli').flatMap((key) => (all[key] === undefined ? [] : [[key, all[key]]])));
    const migrate = run('cli', own, ['migrate']);
    expect(await migrate.exited, JSON.stringify(migrate.output())).toBe(0);
    expect(migrate.output().stderr).toBe('');

    const reencrypt = run('cli', own, ['--dry-run'], 'reencrypt-secrets.mjs');
    expect(await reencrypt.exited, JSON.stringify(reencrypt.output())).toBe(0);
    expect(reencrypt.output().stdout).toMatch(/^\[dry run\] provider accounts: 0 examined/);
  }, 60_000);
});
