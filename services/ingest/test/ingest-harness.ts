import type { FastifyInstance } from 'fastify';
import type { RedisTarget } from '@callvault/config';
import type { SecretBox } from '@callvault/crypto';
import type { EventsDeps } from '@callvault/events';
import { connectProducer, type Producer } from '@callvault/queue';
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
  /** Waits until the effects of every event acknowledged so far have committed (or failed), and their jobs are relayed. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A real ingest on a real port, with its own database, queue prefix and keys. */
export async function startIngest(options: { redis?: RedisTarget; env?: TestEnvironment } = {}): Promise<IngestHarness> {
  const env = options.env ?? (await createTestEnvironment());
  const producer = connectProducer(options.redis ?? env.redis, env.config.QUEUE_PREFIX);
  const deps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
  const app = buildApp(deps);
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  deps.effects.start();
  deps.relay.start();
  return {
    env,
    app,
    url: `http://127.0.0.1:${port}`,
    producer,
    deps,
    settled: async () => {
      await deps.effects.settled();
      await deps.relay.settled();
    },
    async close() {
      await app.close();
      await deps.effects.stop();
      await deps.relay.stop();
      await producer.close();
      if (!options.env) await env.close();
    },
  };
}

/** What the operations worker hands replay, tenant lookup and sync: this ingest's parts, as the tests need them. */
export function eventsDepsOf(harness: IngestHarness): EventsDeps & { box: SecretBox } {
  return { ...harness.deps, twilioApiBaseUrl: harness.env.config.TWILIO_API_BASE_URL, box: harness.env.box };
}

/** The value of the one sample of `name` carrying all of `labels` (label order does not matter). */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
