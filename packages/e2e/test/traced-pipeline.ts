import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { buildApp as buildIngest, composeIngest, type IngestDeps } from '@callvault/ingest';
import { createLogger } from '@callvault/logging';
import { connectProducer, createRedis, runWorker, type Producer, type RedisClient, type RunningWorker } from '@callvault/queue';
import { composeFetcher, processRecordingFetch } from '@callvault/recording-fetcher';
import { processTranscription } from '@callvault/transcriber';
import { processAnalytics } from '@callvault/analytics';
import { deliverTwilioWebhook, startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, freePort, seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, waitFor, type TestEnvironment } from '@callvault/testing';

export const CALLER = '+14155550123';
export const AGENT_NUMBER = '+13125550187';

export interface TracedPipeline {
  env: TestEnvironment;
  sim: Simulator;
  ingestDeps: IngestDeps;
  producer: Producer;
  /** Every line ingest logged, parsed. */
  ingestLog: Array<Record<string, unknown>>;
  /** Signed call-status then recording-status callbacks of one new call; resolves once its analytics are stored. */
  carryOneCall(headers: Record<string, string>): Promise<{ recordingId: string; authToken: string }>;
  close(): Promise<void>;
}

/**
 * Ingest (HTTP, effects loop, outbox relay) and the fetch, transcription and analytics workers in
 * this process, on the file's own database, bucket and queue prefix, with the simulator as Twilio.
 * Whatever tracing the caller installed before is what they run with.
 */
export async function startTracedPipeline(): Promise<TracedPipeline> {
  const sim = await startSimulator();
  const env = await createTestEnvironment({ MEDIA_FETCH_ALLOWED_HOSTS: sim.host });
  const workerRedis: RedisClient = createRedis(env.redis, 'worker');
  const producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  const ingestLog: Array<Record<string, unknown>> = [];
  const log = createLogger(
    { name: 'ingest', level: 'info' },
    new Writable({ write: (chunk, _encoding, done) => done(void ingestLog.push(JSON.parse(String(chunk)))) }),
  );
  const ingestDeps = composeIngest({ config: env.config, db: env.db, producer, log });
  const ingest: FastifyInstance = buildIngest(ingestDeps);
  const port = await freePort();
  await ingest.listen({ host: '127.0.0.1', port });
  ingestDeps.effects.start();
  ingestDeps.relay.start();

  const jobsCommitted = () => ingestDeps.relay.wake();
  const fetcher = composeFetcher({ config: env.config, db: env.db, storage: env.storage, log: env.log, registry: new Registry(), jobsCommitted });
  const common = { connection: workerRedis, prefix: env.config.QUEUE_PREFIX, concurrency: 2, log: env.log };
  const workers: RunningWorker[] = [
    runWorker({ ...common, queue: 'recording-fetch', process: (payload, context) => processRecordingFetch(fetcher, payload, context) }),
    runWorker({ ...common, queue: 'transcription', process: (payload, context) => processTranscription({ db: env.db, jobsCommitted }, payload, context) }),
    runWorker({ ...common, queue: 'analytics', process: (payload, context) => processAnalytics({ db: env.db, storage: env.storage }, payload, context) }),
  ];

  return {
    env,
    sim,
    ingestDeps,
    producer,
    ingestLog,
    async carryOneCall(headers) {
      const twilio = sim.state.addAccount();
      const company = await seedCompany(env, 'Traced Dental');
      await seedTwilioAccount(env, company.id, { accountSid: twilio.accountSid, authToken: twilio.authToken });
      const agent = await seedUser(env, company.id, 'agent');
      await seedPhoneNumber(env, company.id, { e164: AGENT_NUMBER, matchOn: 'to', ownerUserId: agent.id });
      const recording = sim.state.addRecording(twilio.accountSid, { durationSeconds: 12, channels: 2 });
      const deliver = (path: string, params: Record<string, string>) =>
        deliverTwilioWebhook({
          publicBaseUrl: env.config.PUBLIC_BASE_URL,
          targetBaseUrl: `http://127.0.0.1:${port}`,
          path,
          authToken: twilio.authToken,
          params,
          headers,
        });
      const calls = await deliver('/webhooks/twilio/call-status', sim.callCompletedParams(recording, { from: CALLER, to: AGENT_NUMBER }));
      if (calls.status !== 204) throw new Error(`call-status answered ${calls.status}`);
      const recorded = await deliver('/webhooks/twilio/recording-status', sim.recordingCompletedParams(recording));
      if (recorded.status !== 204) throw new Error(`recording-status answered ${recorded.status}`);
      const stored = await waitFor(
        async () =>
          (await env.ownerDb.selectFrom('recordings').select(['id', 'status']).where('provider_recording_id', '=', recording.sid).executeTakeFirst())?.id,
        { what: 'recording row', timeoutMs: 20_000 },
      );
      await waitFor(
        async () => (await env.ownerDb.selectFrom('call_metrics').select('id').where('recording_id', '=', stored).executeTakeFirst()) !== undefined,
        {
          what: 'analytics stored',
          timeoutMs: 20_000,
        },
      );
      await waitFor(
        async () => (await env.ownerDb.selectFrom('transcripts').select('status').where('recording_id', '=', stored).executeTakeFirst()) !== undefined,
        {
          what: 'transcriber ran',
          timeoutMs: 20_000,
        },
      );
      return { recordingId: stored, authToken: twilio.authToken };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await ingest.close();
      await ingestDeps.effects.stop();
      await ingestDeps.relay.stop();
      await producer.close();
      workerRedis.disconnect();
      await sim.close();
      await env.close();
    },
  };
}
