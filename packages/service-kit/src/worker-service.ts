import { loadConfig, type Config, type ConfigKey } from '@callvault/config';
import { createDb, pingDb, type Db } from '@callvault/db';
import { createLogger, type Logger } from '@callvault/logging';
import { createProducer, createRedis, runWorker, type Processor, type Producer, type QueueName } from '@callvault/queue';
import { createStorage, type Storage } from '@callvault/storage';
import type { Registry } from 'prom-client';
import { createMetricsRegistry } from './metrics';
import { instrumentWorker, registerQueueMetrics } from './queue-metrics';
import { onShutdownSignal } from './shutdown';
import { storageConfigFrom } from './storage-config';
import { buildWorkerApp } from './worker-app';

export interface WorkerServiceParts {
  config: Config;
  db: Db;
  log: Logger;
  producer: Producer;
  storage: Storage;
  registry: Registry;
}

/**
 * The composition root every worker shares: config → logger → db → queue → storage → worker →
 * health/metrics server → ordered shutdown. Each service supplies its queue and processor.
 */
export async function startWorkerService<Q extends QueueName>(options: {
  name: string;
  defaultPort: number;
  queue: Q;
  requiredConfig?: ConfigKey[];
  concurrency: (config: Config) => number;
  processor: (parts: WorkerServiceParts) => Processor<Q>;
  /** Periodic work beside the queue (e.g. rollup refresh); stopped before the worker closes. */
  background?: (parts: WorkerServiceParts) => { stop(): Promise<void> };
}): Promise<void> {
  const config = loadConfig(process.env, options.requiredConfig ?? []);
  const log = createLogger({ name: options.name, level: config.LOG_LEVEL });
  const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: `callvault-${options.name}` });
  const workerRedis = createRedis(config.REDIS_URL, 'worker');
  const producerRedis = createRedis(config.REDIS_URL, 'producer');
  const producer = createProducer(producerRedis, config.QUEUE_PREFIX);
  const storage = createStorage(storageConfigFrom(config));
  const registry = createMetricsRegistry(options.name);

  const parts = { config, db, log, producer, storage, registry };
  const background = options.background?.(parts);
  const worker = runWorker({
    queue: options.queue,
    connection: workerRedis,
    prefix: config.QUEUE_PREFIX,
    concurrency: options.concurrency(config),
    lockSeconds: config.WORKER_LOCK_SECONDS,
    log,
    process: options.processor(parts),
  });
  instrumentWorker(worker.worker, registry, options.queue);
  registerQueueMetrics(registry, { queues: [options.queue], queueFor: (name) => producer.queue(name) });
  const app = buildWorkerApp({
    log,
    registry,
    readiness: { postgres: () => pingDb(db), redis: async () => void (await workerRedis.ping()), storage: () => storage.ping() },
  });

  onShutdownSignal(log, config.SHUTDOWN_GRACE_SECONDS, [
    ['background', async () => background?.stop()],
    // In-flight jobs get most of the grace period; past it they abort and are released to a retry.
    ['worker', () => worker.close(Math.max(1, config.SHUTDOWN_GRACE_SECONDS - 5) * 1000)],
    ['http', () => app.close()],
    ['queues', () => producer.close()],
    ['redis', async () => void (await Promise.all([workerRedis.quit(), producerRedis.quit()]))],
    ['postgres', () => db.destroy()],
  ]);
  await app.listen({ host: config.HOST, port: config.PORT ?? options.defaultPort });
}
