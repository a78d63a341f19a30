import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { redisVariables } from '@callvault/config';
import { withCompany } from '@callvault/db';
import { connectProducer, describeJob, type Producer } from '@callvault/queue';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, freePort, seedCompany, seedTwilioAccount, waitFor, type TestEnvironment } from '@callvault/testing';
import { recordSimulatedRecording } from './simulated-recording';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let env: TestEnvironment;
let sim: Simulator;
let producer: Producer;

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ MEDIA_FETCH_ALLOWED_HOSTS: sim.host });
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
});
afterAll(async () => {
  await producer?.close();
  await sim?.close();
  await env?.close();
});

describe('recording-fetcher shutdown', () => {
  it('on SIGTERM stops taking jobs, releases the in-flight upload within the grace period and leaves no object', { timeout: 90_000 }, async () => {
    const account = sim.state.addAccount();
    const company = await seedCompany(env);
    await env.ownerDb.updateTable('companies').set({ recording_format: 'wav' }).where('id', '=', company.id).execute();
    await seedTwilioAccount(env, company.id, { accountSid: account.accountSid, authToken: account.authToken });
    // Two hours of stereo audio (~460 MB) served at 16 MB/s: about 29 s to archive on any machine, far
    // longer than the grace period (unthrottled, a fast machine archived it within the grace period).
    const recording = sim.state.addRecording(account.accountSid, { durationSeconds: 2 * 3600, channels: 2, fault: { bytesPerSecond: 16 * 1024 * 1024 } });
    const recordingId = await withCompany(env.db, company.id, (tx) => recordSimulatedRecording(tx, sim, recording, { channels: 2 }));

    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: env.config.DATABASE_URL,
        ...redisVariables(env.redis),
        QUEUE_PREFIX: env.config.QUEUE_PREFIX,
        S3_ENDPOINT: env.config.S3_ENDPOINT,
        S3_BUCKET: env.config.S3_BUCKET,
        SECRETS_KEY: env.config.SECRETS_KEY,
        MEDIA_FETCH_ALLOWED_HOSTS: sim.host,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_SECONDS: '8',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, { timeoutMs: 30_000, what: 'fetcher ready' });
      await producer.enqueue(describeJob('recording-fetch', { companyId: company.id, recordingId }));
      await waitFor(
        async () => (await env.ownerDb.selectFrom('recordings').select('status').where('id', '=', recordingId).executeTakeFirst())?.status === 'fetching',
        { timeoutMs: 20_000, what: 'upload under way' },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));

      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      const tookMs = Date.now() - signalled;
      expect(code, stderr).toBe(0);
      expect(tookMs).toBeLessThan(8_000);

      const row = await env.ownerDb.selectFrom('recordings').select(['status', 'storage_key']).where('id', '=', recordingId).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', storage_key: null });
      const job = await producer.queue('recording-fetch').getJob(`fetch-${recordingId}`);
      expect(job).toBeDefined();
      expect(await job!.getState()).toMatch(/^(delayed|waiting|wait)$/);
      const objects = await env.storage.client.send(new ListObjectsV2Command({ Bucket: env.storage.bucket, Prefix: `companies/${company.id}/` }));
      expect(objects.Contents ?? []).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
