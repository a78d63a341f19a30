import { loadConfig } from '@callvault/config';
import { createDb } from '@callvault/db';
import { createLogger } from '@callvault/logging';
import { createProducer, createRedis, runWorker } from '@callvault/queue';
import { instrumentWorker, onShutdownSignal, registerQueueMetrics } from '@callvault/service-kit';
import { buildApp } from './app';
import { composeIngest } from './compose-ingest';
import { createEventRelay } from './event-relay';
import { createFetchRedrive, redriveIntervalMs } from './fetch-redrive';
import { replayWebhookEvent } from './event-replay';
import { lookUpTenant } from './tenant-lookup';
import { processProviderSync } from './sync/provider-sync.processor';
import { startSyncScheduler } from './sync/sync-scheduler';

const config = loadConfig(process.env, ['SECRETS_KEY', 'TAG_SIGNING_KEY']);
const log = createLogger({ name: 'ingest', level: config.LOG_LEVEL });
const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-ingest' });
const redis = createRedis(config.REDIS_URL, 'producer');
const workerRedis = createRedis(config.REDIS_URL, 'worker');
const producer = createProducer(redis, config.QUEUE_PREFIX);
const deps = composeIngest({ config, db, producer, log });
const app = buildApp(deps);
const relay = createEventRelay({ db, producer, applier: deps.applier, log });
const redrive = createFetchRedrive({ db, producer, log, stalledAfterSeconds: config.FETCH_REDRIVE_AFTER_SECONDS, redriven: deps.metrics.fetchRedrives });
const scheduler = startSyncScheduler({ db, producer, log, intervalMinutes: config.SYNC_INTERVAL_MINUTES });
const common = { connection: workerRedis, prefix: config.QUEUE_PREFIX, log, lockSeconds: config.WORKER_LOCK_SECONDS };
const workers = [
  runWorker({ ...common, queue: 'provider-sync', concurrency: 2, process: (payload, context) => processProviderSync(deps, payload, context) }),
  runWorker({ ...common, queue: 'event-replay', concurrency: 2, process: (payload) => replayWebhookEvent(deps, payload.eventId) }),
  runWorker({ ...common, queue: 'tenant-lookup', concurrency: 2, process: (payload) => lookUpTenant(deps, payload.eventId) }),
];
instrumentWorker(workers[0]!.worker, deps.metrics.registry, 'provider-sync');
instrumentWorker(workers[1]!.worker, deps.metrics.registry, 'event-replay');
instrumentWorker(workers[2]!.worker, deps.metrics.registry, 'tenant-lookup');
registerQueueMetrics(deps.metrics.registry, { queues: ['provider-sync', 'event-replay', 'tenant-lookup'], queueFor: (name) => producer.queue(name) });

onShutdownSignal(log, config.SHUTDOWN_GRACE_SECONDS, [
  // Closing the app also waits for the effects of what it acknowledged (app.ts).
  ['http', () => app.close()],
  ['scheduler', async () => scheduler.stop()],
  ['workers', async () => void (await Promise.all(workers.map((worker) => worker.close((config.SHUTDOWN_GRACE_SECONDS - 5) * 1000))))],
  ['relay', () => relay.stop()],
  ['fetch re-drive', () => redrive.stop()],
  ['queues', () => producer.close()],
  ['redis', async () => void (await Promise.all([redis.quit(), workerRedis.quit()]))],
  ['postgres', () => db.destroy()],
]);

await app.listen({ host: config.HOST, port: config.PORT ?? 3001 });
relay.start(5_000);
redrive.start(redriveIntervalMs(config.FETCH_REDRIVE_AFTER_SECONDS));
