/**
 * The durable floor for bench/ingest: the real ingest (same composition, routes, signature checks,
 * tenant resolution and group commit of the event rows) with its effects loop and outbox relay
 * never started. What it answers is what ingest can acknowledge durably when effects cost nothing;
 * the full ingest's replies are measured against it. Started by run.ts as its own process with the
 * same environment as ingest: `node --import tsx bench/ingest/durable-floor-server.ts`.
 */
import { loadConfig, redisTargetFrom } from '@callvault/config';
import { createDb } from '@callvault/db';
import { createLogger } from '@callvault/logging';
import { createProducer, createRedis } from '@callvault/queue';
import { buildApp } from '../../services/ingest/src/app';
import { composeIngest } from '../../services/ingest/src/compose-ingest';

const config = loadConfig(process.env, ['SECRETS_KEY', 'TAG_SIGNING_KEY']);
const log = createLogger({ name: 'ingest-durable-floor', level: config.LOG_LEVEL });
const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-ingest-floor' });
const redis = createRedis(redisTargetFrom(config), 'producer');
const producer = createProducer(redis, config.QUEUE_PREFIX);
const deps = composeIngest({ config, db, producer, log });
// Intake wakes the effects loop after each commit: stopped, it stays asleep (a wake before start
// would otherwise run passes), and the relay has nothing to send.
await deps.effects.stop();
await deps.relay.stop();
const app = buildApp(deps);

await app.listen({ host: '127.0.0.1', port: config.PORT ?? 0 });
const stop = () =>
  void app
    .close()
    .then(() => producer.close())
    .then(() => db.destroy())
    .finally(() => {
      redis.disconnect();
      process.exit(0);
    });
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
