import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createProducer, createRedis, type Producer } from '@callvault/queue';
import { createTestEnvironment, freePort, type TestEnvironment } from '@callvault/testing';
import { buildApp } from '../src/app';
import { composeIngest } from '../src/compose-ingest';
import type { IngestDeps } from '../src/ingest-deps';

export interface IngestHarness {
  env: TestEnvironment;
  app: FastifyInstance;
  /** Where the ingest listens; signatures are computed over env.config.PUBLIC_BASE_URL. */
  url: string;
  producer: Producer;
  deps: IngestDeps;
  /** Waits until the effects of every event acknowledged so far have committed (or failed). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A real ingest on a real port, with its own database, queue prefix and keys. */
export async function startIngest(options: { redisUrl?: string; env?: TestEnvironment } = {}): Promise<IngestHarness> {
  const env = options.env ?? (await createTestEnvironment());
  const redis: Redis = createRedis(options.redisUrl ?? env.config.REDIS_URL, 'producer');
  const producer = createProducer(redis, env.config.QUEUE_PREFIX);
  const deps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
  const app = buildApp(deps);
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  return {
    env,
    app,
    url: `http://127.0.0.1:${port}`,
    producer,
    deps,
    settled: () => deps.intake.settled(),
    async close() {
      await app.close();
      await producer.close();
      redis.disconnect();
      if (!options.env) await env.close();
    },
  };
}

/** The value of the one sample of `name` carrying all of `labels` (label order does not matter). */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
