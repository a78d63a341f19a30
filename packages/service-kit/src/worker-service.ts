import { loadServiceConfig, redisTargetFrom, storageConfigFrom, type Config, type ServiceName } from '@callvault/config';
import { createDb, pingDb, type Db } from '@callvault/db';
import { createLogger, type Logger } from '@callvault/logging';
import { createProducer, createRedis, runWorker, type Processor, type Producer, type QueueName } from '@callvault/queue';
import { createStorage, type Storage } from '@callvault/storage';
import { startTracing } from '@callvault/tracing';
import type { Registry } from 'prom-client';
import { createMetricsRegistry } from './metrics';
import { instrumentWorker, registerQueueMetrics } from './queue-metrics';
import { createOutboxRelay } from './outbox-relay';
import { onShutdownSignal } from './shutdown';
import { buildWorkerApp } from './worker-app';

export interface WorkerServiceParts {
  config: Config;
  db: Db;
  log: Logger;
  producer: Producer;
  storage: Storage;
  registry: Registry;
  /** Wakes this process's outbox relay: call it after a commit that recorded jobs. */
  jobsCommitted: () => void;
}

/** One queue a worker service consumes, with its processor. */
export interface WorkerSpec<Q extends QueueName = QueueName> {
  queue: Q;
  concurrency: (config: Config) => number;
  processor: (parts: WorkerServiceParts) => Processor<Q>;
}

/** Keeps each spec's queue and processor types tied together; the list itself is heterogeneous. */
export const workerSpec = <Q extends QueueName>(spec: WorkerSpec<Q>) => spec as unknown as WorkerSpec;

/**
 * The composition root every worker shares: config → logger → db → queue → storage → workers →
 * health/metrics server → ordered shutdown. Each service supplies its queues and processors;
 * `start` runs once everything is up (the operations worker registers its schedules there).
 */
export async function startWorkerService(options: {
  /** Its row in SERVICE_VARIABLES (packages/config) says which variables it needs. */
  name: ServiceName;
  defaultPort: number;
  workers: WorkerSpec[];
  start?: (parts: WorkerServiceParts) => Promise<void>;
}): Promise<void> {
  const config = loadServiceConfig(options.name);
  const tracing = startTracing(config, options.name);
  const log = createLogger({ name: options.name, level: config.LOG_LEVEL });
  const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: `callvault-${options.name}` });
  const workerRedis = createRedis(redisTargetFrom(config), 'worker');
  const producerRedis = createRedis(redisTargetFrom(config), 'producer');
  const producer = createProducer(producerRedis, config.QUEUE_PREFIX);
  const storage = createStorage(storageConfigFrom(config));
  const registry = createMetricsRegistry(options.name);

  // Jobs a processor records with its changes reach Redis through the outbox: woken after each
  // such commit, and polling for what a crash left behind.
  const relay = createOutboxRelay({ db, producer, log });
  const parts = { config, db, log, producer, storage, registry, jobsCommitted: () => relay.wake() };
  const workers = options.workers.map((spec) => {
    const worker = runWorker({
      queue: spec.queue,
      connection: workerRedis,
      prefix: config.QUEUE_PREFIX,
      concurrency: spec.concurrency(config),
      lockSeconds: config.WORKER_LOCK_SECONDS,
      log,
      process: spec.processor(parts),
    });
    instrumentWorker(worker.worker, registry, spec.queue);
    return worker;
  });
  registerQueueMetrics(registry, { queues: options.workers.map((spec) => spec.queue), queueFor: (name) => producer.queue(name) });
  const app = buildWorkerApp({
    log,
    registry,
    readiness: { postgres: () => pingDb(db), redis: async () => void (await workerRedis.ping()), storage: () => storage.ping() },
  });

  onShutdownSignal(log, config.SHUTDOWN_GRACE_SECONDS, [
    // In-flight jobs get most of the grace period; past it they abort and are released to a retry.
    ['workers', async () => void (await Promise.all(workers.map((worker) => worker.close(Math.max(1, config.SHUTDOWN_GRACE_SECONDS - 5) * 1000))))],
    ['outbox relay', () => relay.stop()],
    ['http', () => app.close()],
    ['queues', () => producer.close()],
    ['redis', async () => void (await Promise.all([workerRedis.quit(), producerRedis.quit()]))],
    ['postgres', () => db.destroy()],
    ['traces', () => tracing.shutdown()],
  ]);
  await app.listen({ host: config.HOST, port: config.PORT ?? options.defaultPort });
  relay.start();
  await options.start?.(parts);
}
