import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { processAnalytics } from '@callvault/analytics';
import { buildApp as buildGateway, composeGateway } from '@callvault/gateway';
import { buildApp as buildIngest, composeIngest, type IngestDeps } from '@callvault/ingest';
import { createProducer, createRedis, runWorker, type Producer, type RunningWorker, type RedisClient } from '@callvault/queue';
import { composeFetcher, processRecordingFetch } from '@callvault/recording-fetcher';
import { createSimulator, registerDeepgramApi, type Simulator } from '@callvault/simulator';
import { allowBrowserReads } from '@callvault/storage';
import { createTestEnvironment, freePort, type TestEnvironment } from '@callvault/testing';
import { createDeepgramSpeechToText, processTranscription } from '@callvault/transcriber';

const DEEPGRAM_KEY = 'dashboard-test-deepgram';

export interface PipelineStack {
  env: TestEnvironment;
  sim: Simulator;
  ingestUrl: string;
  gatewayUrl: string;
  close(): Promise<void>;
}

/**
 * Every service of a call's path, in this process as the e2e journey builds them: the simulator
 * (Twilio, and Deepgram for transcripts), ingest with its effects loop and outbox relay, the
 * fetcher, transcriber and analytics workers on real Redis, real Postgres and the S3 server,
 * and the gateway listening on `gatewayPort` with the dashboard build at `dashboardDir`.
 */
export async function startPipelineStack(input: { gatewayPort: number; dashboardDir: string; env: Record<string, string> }): Promise<PipelineStack> {
  const sim = createSimulator();
  registerDeepgramApi(sim.app, { apiKey: DEEPGRAM_KEY });
  await sim.listen();
  const env = await createTestEnvironment({ MEDIA_FETCH_ALLOWED_HOSTS: sim.host, ...input.env });
  const gatewayUrl = `http://127.0.0.1:${input.gatewayPort}`;
  await allowBrowserReads(env.storage, [gatewayUrl]);

  const redis: RedisClient = createRedis(env.redis, 'producer');
  const workerRedis: RedisClient = createRedis(env.redis, 'worker');
  const producer: Producer = createProducer(redis, env.config.QUEUE_PREFIX);
  const ingestDeps: IngestDeps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
  const ingest: FastifyInstance = buildIngest(ingestDeps);
  const ingestPort = await freePort();
  await ingest.listen({ host: '127.0.0.1', port: ingestPort });
  ingestDeps.effects.start();
  ingestDeps.relay.start();

  const jobsCommitted = () => ingestDeps.relay.wake();
  const fetcher = composeFetcher({ config: env.config, db: env.db, storage: env.storage, log: env.log, registry: new Registry(), jobsCommitted });
  const speechToText = createDeepgramSpeechToText({ apiKey: DEEPGRAM_KEY, baseUrl: sim.baseUrl });
  const common = { connection: workerRedis, prefix: env.config.QUEUE_PREFIX, concurrency: 2, log: env.log };
  const workers: RunningWorker[] = [
    runWorker({ ...common, queue: 'recording-fetch', process: (payload, context) => processRecordingFetch(fetcher, payload, context) }),
    runWorker({
      ...common,
      queue: 'transcription',
      process: (payload, context) =>
        processTranscription({ db: env.db, storage: env.storage, speechToText: { deepgram: speechToText }, jobsCommitted }, payload, context),
    }),
    runWorker({ ...common, queue: 'analytics', process: (payload, context) => processAnalytics({ db: env.db, storage: env.storage }, payload, context) }),
  ];
  const gateway = await buildGateway({
    ...composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }),
    dashboardDir: input.dashboardDir,
  });
  await gateway.listen({ host: '127.0.0.1', port: input.gatewayPort });

  return {
    env,
    sim,
    ingestUrl: `http://127.0.0.1:${ingestPort}`,
    gatewayUrl,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await ingest.close();
      await ingestDeps.effects.stop();
      await ingestDeps.relay.stop();
      await gateway.close();
      await producer.close();
      const keys = await redis.keys(`${env.config.QUEUE_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      workerRedis.disconnect();
      await sim.close();
      await env.close();
    },
  };
}
