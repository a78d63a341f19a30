import { loadServiceConfig, redisTargetFrom } from '@callvault/config';
import { createDb } from '@callvault/db';
import { createLogger } from '@callvault/logging';
import { createProducer, createRedis } from '@callvault/queue';
import { onShutdownSignal, startTracing } from '@callvault/service-kit';
import { buildApp } from './app';
import { composeIngest } from './compose-ingest';

const config = loadServiceConfig('ingest');
// Before the app is built: its request spans are registered only when tracing is on.
const tracing = startTracing(config, 'ingest');
const log = createLogger({ name: 'ingest', level: config.LOG_LEVEL });
const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-ingest' });
const redis = createRedis(redisTargetFrom(config), 'producer');
const producer = createProducer(redis, config.QUEUE_PREFIX);
const deps = composeIngest({ config, db, producer, log });
const app = buildApp(deps);

onShutdownSignal(log, config.SHUTDOWN_GRACE_SECONDS, [
  // Intake stops first; what it acknowledged is stored, and the loops finish their passes.
  ['http', () => app.close()],
  ['effects', () => deps.effects.stop()],
  ['outbox relay', () => deps.relay.stop()],
  ['queues', () => producer.close()],
  ['redis', async () => void (await redis.quit())],
  ['postgres', () => db.destroy()],
  ['traces', () => tracing.shutdown()],
]);

await app.listen({ host: config.HOST, port: config.PORT ?? 3001 });
// The loops run while Redis is down (effects need only Postgres; the relay retries): not BullMQ schedulers.
deps.effects.start();
deps.relay.start();
deps.effects.wake();
