import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { withCompany } from '@callvault/db';
import { connectProducer, createRedis, describeJob, runWorker, type Producer, type RunningWorker, type RedisClient } from '@callvault/queue';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedTwilioAccount, waitFor, type TestEnvironment } from '@callvault/testing';
import { composeFetcher } from '../src/compose-fetcher';
import { processRecordingFetch } from '../src/recording-fetch.processor';
import { recordSimulatedRecording } from './simulated-recording';

/** The sync's backfill lane (see services/ingest/src/sync/provider-sync.processor.ts). */
const BACKFILL_PRIORITY = 10;
const BACKLOG = 5_000;

let env: TestEnvironment;
let sim: Simulator;
let workerRedis: RedisClient;
let producer: Producer;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ MEDIA_FETCH_ALLOWED_HOSTS: sim.host });
  workerRedis = createRedis(env.redis, 'worker');
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
});
afterAll(async () => {
  await worker?.close(1_000);
  await producer?.queue('recording-fetch').obliterate({ force: true });
  await producer?.close();
  workerRedis?.disconnect();
  await sim?.close();
  await env?.close();
});

async function companyWithRecordings(count: number) {
  const account = sim.state.addAccount();
  const company = await seedCompany(env);
  await env.ownerDb.updateTable('companies').set({ recording_format: 'wav' }).where('id', '=', company.id).execute();
  await seedTwilioAccount(env, company.id, { accountSid: account.accountSid, authToken: account.authToken });
  const ids = await withCompany(env.db, company.id, async (tx) => {
    const created: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const recording = sim.state.addRecording(account.accountSid, { durationSeconds: 1, channels: 1 });
      created.push(await recordSimulatedRecording(tx, sim, recording, { channels: 1 }));
    }
    return created;
  });
  return { company, ids };
}

describe('fairness between companies', () => {
  it(`stores company B's fresh recording within seconds while company A has a ${BACKLOG}-recording backfill queued`, { timeout: 120_000 }, async () => {
    const a = await companyWithRecordings(BACKLOG);
    const b = await companyWithRecordings(1);
    await producer.enqueueMany(
      a.ids.map((recordingId) => ({ ...describeJob('recording-fetch', { companyId: a.company.id, recordingId }), priority: BACKFILL_PRIORITY })),
    );

    const deps = composeFetcher({ config: env.config, db: env.db, storage: env.storage, log: env.log, registry: new Registry() });
    worker = runWorker({
      queue: 'recording-fetch',
      connection: workerRedis,
      prefix: env.config.QUEUE_PREFIX,
      concurrency: 2,
      log: env.log,
      process: (payload, context) => processRecordingFetch(deps, payload, context),
    });
    // A is being worked on when B's webhook arrives.
    await waitFor(
      async () =>
        (await env.ownerDb.selectFrom('recordings').select('id').where('company_id', '=', a.company.id).where('status', '=', 'stored').execute()).length >= 10,
      { timeoutMs: 60_000, what: 'backfill under way' },
    );

    const started = Date.now();
    await producer.enqueue(describeJob('recording-fetch', { companyId: b.company.id, recordingId: b.ids[0]! }));
    await waitFor(
      async () => (await env.ownerDb.selectFrom('recordings').select('status').where('id', '=', b.ids[0]!).executeTakeFirst())?.status === 'stored',
      { timeoutMs: 10_000, what: "B's recording stored" },
    );
    const waited = Date.now() - started;
    const aStored = (await env.ownerDb.selectFrom('recordings').select('id').where('company_id', '=', a.company.id).where('status', '=', 'stored').execute())
      .length;
    console.log(`fairness: B stored ${waited} ms after its job; A had ${aStored}/${BACKLOG} stored at that point`);
    expect(waited).toBeLessThan(5_000);
    expect(aStored).toBeLessThan(BACKLOG / 2);
  });
});
