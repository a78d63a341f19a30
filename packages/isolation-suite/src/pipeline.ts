import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { processAnalytics } from '@callvault/analytics';
import { removeRecordingObject } from '@callvault/erasure';
import type { Logger } from '@callvault/logging';
import { buildApp as buildGateway, composeGateway } from '@callvault/gateway';
import { buildApp as buildIngest, composeIngest } from '@callvault/ingest';
import { connectProducer, createRedis, runWorker, type Producer, type RunningWorker, type RedisClient } from '@callvault/queue';
import { composeFetcher, processRecordingFetch } from '@callvault/recording-fetcher';
import { startSimulator, deliverTwilioWebhook, signTwilioForm, type Simulator } from '@callvault/simulator';
import {
  createTestEnvironment,
  freePort,
  seedCompany,
  seedPhoneNumber,
  seedTwilioAccount,
  seedUser,
  tokenFor,
  waitFor,
  type TestEnvironment,
} from '@callvault/testing';
import { processTranscription } from '@callvault/transcriber';
import { distinctNumber } from './world';

/**
 * The whole system as the e2e journey runs it: simulator → ingest (listening) → queues →
 * fetcher, transcriber and analytics workers → S3 → gateway (inject; a test may also listen).
 * Each service gets the logger `logFor(name)` returns, so a test can capture every line the
 * system writes. `removeObjects` adds the operations service's object-removal worker, for tests
 * that delete recordings and look at the bucket afterwards.
 */
export interface Pipeline {
  env: TestEnvironment;
  sim: Simulator;
  ingest: FastifyInstance;
  ingestUrl: string;
  gateway: FastifyInstance;
  producer: Producer;
  /** Wakes the pipeline's outbox relay: call it after committing jobs outside its services. */
  jobsCommitted: () => void;
  close(): Promise<void>;
}

export async function startPipeline(
  options: { logFor?: (name: string) => Logger; overrides?: Record<string, string>; removeObjects?: boolean } = {},
): Promise<Pipeline> {
  const sim = await startSimulator();
  const env = await createTestEnvironment({
    MEDIA_FETCH_ALLOWED_HOSTS: sim.host,
    TWILIO_API_BASE_URL: sim.baseUrl,
    VAPI_API_BASE_URL: sim.baseUrl,
    ...options.overrides,
  });
  const logFor = options.logFor ?? (() => env.log);
  const workerRedis: RedisClient = createRedis(env.redis, 'worker');
  const producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  const ingestDeps = composeIngest({ config: env.config, db: env.db, producer, log: logFor('ingest') });
  const ingest = buildIngest(ingestDeps);
  const port = await freePort();
  await ingest.listen({ host: '127.0.0.1', port });
  ingestDeps.effects.start();
  ingestDeps.relay.start();
  // One outbox relay serves the whole pipeline here: every worker wakes it after recording jobs.
  const jobsCommitted = () => ingestDeps.relay.wake();
  const fetcherLog = logFor('recording-fetcher');
  const fetcher = composeFetcher({ config: env.config, db: env.db, storage: env.storage, log: fetcherLog, registry: new Registry(), jobsCommitted });
  const common = { connection: workerRedis, prefix: env.config.QUEUE_PREFIX, concurrency: 2 };
  const workers: RunningWorker[] = [
    runWorker({ ...common, log: fetcherLog, queue: 'recording-fetch', process: (payload, context) => processRecordingFetch(fetcher, payload, context) }),
    runWorker({
      ...common,
      log: logFor('transcriber'),
      queue: 'transcription',
      process: (payload, context) => processTranscription({ db: env.db, jobsCommitted }, payload, context),
    }),
    runWorker({
      ...common,
      log: logFor('analytics'),
      queue: 'analytics',
      process: (payload, context) => processAnalytics({ db: env.db, storage: env.storage }, payload, context),
    }),
    ...(options.removeObjects
      ? [
          runWorker({
            ...common,
            log: logFor('operations'),
            queue: 'object-removal',
            process: (payload) =>
              removeRecordingObject({ db: env.db, storage: env.storage, providerCopy: { box: env.box, twilioApiBaseUrl: sim.baseUrl } }, payload),
          }),
        ]
      : []),
  ];
  const gateway = await buildGateway(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: logFor('gateway') }));
  return {
    env,
    sim,
    ingest,
    ingestUrl: `http://127.0.0.1:${port}`,
    gateway,
    producer,
    jobsCommitted,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await ingest.close();
      await ingestDeps.effects.stop();
      await ingestDeps.relay.stop();
      await gateway.close();
      await producer.close();
      workerRedis.disconnect();
      await sim.close();
      await env.close();
    },
  };
}

export interface ScenarioCompany {
  companyId: string;
  accountSid: string;
  authToken: string;
  agent: { id: string; subject: string; token: string };
  admin: { id: string; subject: string; token: string };
  numbers: string[];
  recordingSids: string[];
}

/** What a scenario sent, for the secrets test: every signature value and phone number. */
export interface ScenarioTrace {
  companies: ScenarioCompany[];
  signatures: string[];
  phoneNumbers: string[];
}

/**
 * `companies` companies, each with its own simulated Twilio account, an agent owning the
 * company's number and `calls` calls whose signed call and recording callbacks go through
 * ingest; resolves once every recording is stored (so audio, transcripts and metrics exist).
 */
export async function runScenario(pipeline: Pipeline, input: { companies: number; calls: number }): Promise<ScenarioTrace> {
  const { env, sim } = pipeline;
  const trace: ScenarioTrace = { companies: [], signatures: [], phoneNumbers: [] };
  const deliver = async (authToken: string, path: string, params: Record<string, string>) => {
    trace.signatures.push(signTwilioForm(authToken, `${env.config.PUBLIC_BASE_URL}${path}`, params));
    const response = await deliverTwilioWebhook({ publicBaseUrl: env.config.PUBLIC_BASE_URL, targetBaseUrl: pipeline.ingestUrl, path, authToken, params });
    if (response.status !== 204) throw new Error(`${path} answered ${response.status}: ${response.body}`);
  };
  for (let index = 0; index < input.companies; index += 1) {
    const account = sim.state.addAccount();
    const company = await seedCompany(env);
    await seedTwilioAccount(env, company.id, { accountSid: account.accountSid, authToken: account.authToken });
    const agent = await seedUser(env, company.id, 'agent');
    const admin = await seedUser(env, company.id, 'company_admin');
    const own = distinctNumber();
    await seedPhoneNumber(env, company.id, { e164: own, matchOn: 'to', ownerUserId: agent.id });
    const entry: ScenarioCompany = {
      companyId: company.id,
      accountSid: account.accountSid,
      authToken: account.authToken,
      agent: { id: agent.id, subject: agent.subject, token: await tokenFor(env, agent.subject) },
      admin: { id: admin.id, subject: admin.subject, token: await tokenFor(env, admin.subject) },
      numbers: [own],
      recordingSids: [],
    };
    for (let call = 0; call < input.calls; call += 1) {
      const caller = distinctNumber();
      entry.numbers.push(caller);
      const recording = sim.state.addRecording(account.accountSid, { durationSeconds: 4 + call, channels: 2 });
      await deliver(account.authToken, '/webhooks/twilio/call-status', sim.callCompletedParams(recording, { from: caller, to: own }));
      await deliver(account.authToken, '/webhooks/twilio/recording-status', sim.recordingCompletedParams(recording));
      entry.recordingSids.push(recording.sid);
    }
    trace.companies.push(entry);
    trace.phoneNumbers.push(...entry.numbers);
  }
  const sids = trace.companies.flatMap((company) => company.recordingSids);
  await waitFor(
    async () => {
      const rows = await env.ownerDb.selectFrom('recordings').select('status').where('provider_recording_id', 'in', sids).execute();
      return rows.length === sids.length && rows.every((row) => row.status === 'stored');
    },
    { what: 'every scenario recording stored', timeoutMs: 45_000, intervalMs: 100 },
  );
  return trace;
}
