import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { redisVariables, type RedisTarget } from '@callvault/config';
import { deleteQueueKeys } from '@callvault/queue';
import { createSecretBox, generateSecretsKey } from '@callvault/crypto';
import { createCompany, upsertProviderAccount, withCompany, withPlatform, type Db } from '@callvault/db';
import { bundlePath } from '../../scripts/build-services';
import type { ServedMedia } from '@callvault/simulator';
import { freePort } from '@callvault/testing';
import { spawnNode, waitHttpOk, type NodeProcess } from './child-process';

export interface Secrets {
  SECRETS_KEY: string;
  TAG_SIGNING_KEY: string;
  AUTH_JWT_SECRET: string;
}

export function generateSecrets(): Secrets {
  return {
    SECRETS_KEY: generateSecretsKey(),
    TAG_SIGNING_KEY: randomBytes(32).toString('base64url'),
    AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
  };
}

/** The machine's Redis, which benches share (each under a prefix of its own). */
export const MACHINE_REDIS: RedisTarget = { kind: 'standalone', url: 'redis://127.0.0.1:6379' };

export interface StackSettings {
  databaseUrl: string;
  redis: RedisTarget;
  queuePrefix: string;
  s3Endpoint: string;
  s3Bucket: string;
  secrets: Secrets;
  /** The simulator standing in for Twilio: host:port and base URL. */
  simHost: string;
  simBaseUrl: string;
}

/** A fresh queue prefix: our jobs never mix with a developer's or another run's. */
export function benchPrefix(kind: string): string {
  return `bench-${kind}-${randomBytes(4).toString('hex')}`;
}

/**
 * The environment of one service process, built from scratch (only PATH and HOME are inherited),
 * so a developer's DATABASE_URL or QUEUE_PREFIX can never leak into a benchmark.
 */
export function serviceEnv(stack: StackSettings, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    // Development: the bench's stack is local (http, 127.0.0.1, embedded S3), which production refuses.
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: stack.databaseUrl,
    ...redisVariables(stack.redis),
    QUEUE_PREFIX: stack.queuePrefix,
    S3_ENDPOINT: stack.s3Endpoint,
    S3_BUCKET: stack.s3Bucket,
    ...stack.secrets,
    TWILIO_API_BASE_URL: stack.simBaseUrl,
    VAPI_API_BASE_URL: stack.simBaseUrl,
    MEDIA_FETCH_ALLOWED_HOSTS: stack.simHost,
    SYNC_INTERVAL_MINUTES: '0',
    ...extra,
  };
}

export interface RunningService {
  process: NodeProcess;
  port: number;
  baseUrl: string;
}

/**
 * Starts `services/<name>/src/main.ts` (or its built bundle) on a free port and waits for /readyz.
 * `tree`: another checkout to run the sources of (a before/after comparison); this one by default.
 */
export async function startService(
  name: 'ingest' | 'recording-fetcher' | 'gateway' | 'operations',
  stack: StackSettings,
  options: { extraEnv?: Record<string, string>; nodeArgs?: string[]; label?: string; port?: number; built?: boolean; tree?: string } = {},
): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = serviceEnv(stack, { PORT: String(port), ...(name === 'ingest' ? { PUBLIC_BASE_URL: baseUrl } : {}), ...options.extraEnv });
  // built: the production bundle (build it first with buildServices), not the sources through tsx.
  const sources = options.tree ? join(options.tree, `services/${name}/src/main.ts`) : `services/${name}/src/main.ts`;
  const child = spawnNode(options.label ?? name, options.built ? bundlePath(name) : sources, env, options.nodeArgs ?? []);
  await waitHttpOk(`${baseUrl}/readyz`, { process: child, timeoutMs: 60_000 });
  return { process: child, port, baseUrl };
}

export interface SimRecordingHandle {
  sid: string;
  callSid: string;
  recordingCompleted: Record<string, string>;
}

/** The simulator as its own process, driven through its control routes (/_sim/*). */
export interface SimulatorProcess {
  process: NodeProcess;
  baseUrl: string;
  host: string;
  createAccount(): Promise<{ accountSid: string; authToken: string }>;
  addRecording(accountSid: string, input: { durationSeconds: number; channels?: 1 | 2; readyInMs?: number }): Promise<SimRecordingHandle>;
  served(sid: string): Promise<ServedMedia | undefined>;
  stop(): Promise<void>;
}

export async function startSimulator(): Promise<SimulatorProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawnNode('simulator', 'packages/simulator/src/serve.ts', {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    SIM_PORT: String(port),
  });
  await waitHttpOk(`${baseUrl}/healthz`, { process: child });
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    process: child,
    baseUrl,
    host: `127.0.0.1:${port}`,
    createAccount: () => post('/_sim/accounts', {}),
    addRecording: (accountSid, input) => post(`/_sim/accounts/${accountSid}/recordings`, input),
    async served(sid) {
      const response = await fetch(`${baseUrl}/_sim/recordings/${sid}/served`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`simulator served ${sid}: ${response.status}`);
      return (await response.json()) as ServedMedia;
    },
    stop: () => child.stop(),
  };
}

/** Creates up to `count` simulator recordings, `parallel` requests at a time. */
export async function addSimRecordings(
  sim: SimulatorProcess,
  accountSid: string,
  count: number,
  spec: (index: number) => { durationSeconds: number; channels?: 1 | 2 },
  parallel = 16,
): Promise<SimRecordingHandle[]> {
  const result: SimRecordingHandle[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const index = next++;
        result[index] = await sim.addRecording(accountSid, spec(index));
      }
    }),
  );
  return result;
}

/** A company registered with a (simulated) Twilio account, as a company admin would set it up. */
export async function seedTwilioCompany(
  owner: Db,
  secretsKey: string,
  input: { name: string; accountSid: string; authToken: string; recordingFormat?: 'mp3' | 'wav'; shared?: boolean },
): Promise<{ companyId: string }> {
  const company = await withPlatform(owner, (tx) => createCompany(tx, { name: input.name, recordingFormat: input.recordingFormat ?? 'wav' }));
  const box = createSecretBox(secretsKey);
  // Proven, as through the API; several companies on one simulated account must say they share it.
  await withCompany(owner, company.id, (tx) =>
    upsertProviderAccount(tx, box, {
      provider: 'twilio',
      externalId: input.accountSid,
      secrets: { authToken: input.authToken },
      shared: input.shared ?? false,
      proven: true,
    }),
  );
  return { companyId: company.id };
}

/** Deletes every Redis key under `prefix:`, refusing any prefix a bench or drill did not make. */
export async function deleteRedisPrefix(redis: RedisTarget, prefix: string): Promise<number> {
  if (!/^bench-|^drill-/.test(prefix)) throw new Error(`refusing to delete keys of prefix ${prefix}`);
  return deleteQueueKeys(redis, prefix);
}
