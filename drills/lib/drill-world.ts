import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { startEmbeddedS3, startRedisCluster, type EmbeddedS3, type RedisClusterUnderTest } from '@callvault/testing';
import { embeddedS3Client } from '../../bench/lib/embedded-s3-client';
import { createBenchDatabase, MACHINE_POSTGRES_URL, type BenchDatabase } from '../../bench/lib/bench-database';
import { cleanUpOnExit } from '../../bench/lib/child-process';
import {
  generateSecrets,
  seedTwilioCompany,
  startService,
  startSimulator,
  type RunningService,
  type SimulatorProcess,
  type StackSettings,
} from '../../bench/lib/stack';
import { startOwnRedis, type OwnRedis } from './own-redis';
import { startRestartablePostgres, type RestartablePostgres } from './own-postgres';

export const DRILL_BUCKET = 'drill-recordings';

export interface DrillWorld {
  database: BenchDatabase;
  /** The drill's own redis-server, unless it runs on a cluster. */
  redis: OwnRedis | undefined;
  /** A Redis Cluster of the drill's own (3 masters, 3 replicas), when the drill asked for one. */
  cluster: RedisClusterUnderTest | undefined;
  postgres: RestartablePostgres | undefined;
  s3: { endpoint: string; port: number; client: S3Client; stop(): Promise<void>; start(): Promise<void> };
  sim: SimulatorProcess;
  stack: StackSettings;
  ingest: RunningService;
  fetchers: RunningService[];
  account: { accountSid: string; authToken: string };
  companyId: string;
  /** SIGKILLs fetcher `index` on purpose (the supervisor leaves it down). */
  crashFetcher(index: number): Promise<void>;
  /** Starts fetcher `index` again (after a crash) on its old port. */
  restartFetcher(index: number): Promise<void>;
  /** SIGKILLs ingest on purpose (the supervisor leaves it down). */
  crashIngest(): Promise<void>;
  /** Starts ingest again (after a crash) on its old port. */
  restartIngest(): Promise<void>;
  /** Processes that died on their own and were restarted, as docker-compose's `restart: unless-stopped` does. */
  unexpectedExits: string[];
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Postgres the drill may restart (its own cluster), instead of a database on the machine's server. */
  restartablePostgres?: boolean;
  redisMode?: 'aof' | 'ephemeral';
  /** The services run on a Redis Cluster (REDIS_CLUSTER_NODES) instead of one redis-server. */
  redisCluster?: boolean;
  fetchers?: number;
  fetcherEnv?: Record<string, string>;
  ingestEnv?: Record<string, string>;
  /** Runs the operations service too (its re-drive), with this environment (e.g. a short FETCH_REDRIVE_AFTER_SECONDS). */
  operationsEnv?: Record<string, string>;
}

/**
 * Everything a drill runs against, all its own: a database created and migrated from scratch, a
 * redis-server on a free port, an embedded S3 server, the simulator, one ingest and N fetchers as
 * separate processes. Only 127.0.0.1 is ever contacted.
 */
export async function createDrillWorld(options: WorldOptions = {}): Promise<DrillWorld> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => process.stderr.write(`drill cleanup: ${String(error)}\n`));
  };
  try {
    const postgres = options.restartablePostgres ? await startRestartablePostgres() : undefined;
    if (postgres) closers.push(() => postgres.close());
    const database = await createBenchDatabase(postgres?.serverUrl ?? MACHINE_POSTGRES_URL, 'callvault_drill');
    closers.push(() => database.drop());
    const cluster = options.redisCluster ? await startRedisCluster() : undefined;
    if (cluster) closers.push(() => cluster.close());
    const redis = cluster ? undefined : await startOwnRedis(options.redisMode ?? 'aof');
    if (redis) closers.push(() => redis.close());

    const s3Directory = mkdtempSync(join(tmpdir(), 'callvault-drill-s3-'));
    closers.push(async () => rmSync(s3Directory, { recursive: true, force: true }));
    let s3: EmbeddedS3 = await startEmbeddedS3({ directory: s3Directory, buckets: [DRILL_BUCKET] });
    const s3Port = s3.port;
    const forgetS3 = cleanUpOnExit(() => s3.process.kill('SIGKILL'));
    closers.push(async () => forgetS3());
    closers.push(() => s3.stop());
    const sim = await startSimulator();
    closers.push(() => sim.stop());

    const secrets = generateSecrets();
    const account = await sim.createAccount();
    const { companyId } = await seedTwilioCompany(database.owner, secrets.SECRETS_KEY, { name: 'Drill company', ...account, recordingFormat: 'wav' });
    const stack: StackSettings = {
      databaseUrl: database.ownerUrl,
      redis: cluster?.target ?? { kind: 'standalone', url: redis!.url },
      queuePrefix: `drill-${randomBytes(4).toString('hex')}`,
      s3Endpoint: s3.endpoint,
      s3Bucket: DRILL_BUCKET,
      secrets,
      simHost: sim.host,
      simBaseUrl: sim.baseUrl,
    };
    const fetcherCount = options.fetchers ?? 1;
    const started = await Promise.allSettled([
      startService('ingest', stack, { extraEnv: options.ingestEnv ?? {} }),
      ...Array.from({ length: fetcherCount }, (_, i) =>
        startService('recording-fetcher', stack, { label: `fetcher-${i + 1}`, extraEnv: options.fetcherEnv ?? {} }),
      ),
      ...(options.operationsEnv ? [startService('operations', stack, { extraEnv: options.operationsEnv })] : []),
    ]);
    const failed = started.find((entry) => entry.status === 'rejected');
    if (failed) {
      for (const entry of started) if (entry.status === 'fulfilled') await entry.value.process.stop();
      throw failed.reason;
    }
    const services = started.map((entry) => (entry as PromiseFulfilledResult<RunningService>).value);
    const ingest = services[0]!;
    const fetchers = services.slice(1, 1 + fetcherCount);
    const operations = services[1 + fetcherCount];
    if (operations) closers.push(() => operations.process.stop());
    // A supervisor like docker-compose's `restart: unless-stopped`: a service that dies on its
    // own is noted (that is a finding) and started again on its port a second later.
    let closing = false;
    const intended = new Set<RunningService['process']>();
    const unexpectedExits: string[] = [];
    const supervise = (get: () => RunningService, replace: (service: RunningService) => void, start: (port: number) => Promise<RunningService>) => {
      const current = get();
      current.process.child.once('exit', (code, signal) => {
        if (closing || intended.has(current.process)) return;
        const reason = current.process
          .tail()
          .split('\n')
          .find((line) => /^\w*Error|^error:|terminating connection|ECONNREFUSED/.test(line.trim()));
        unexpectedExits.push(
          `${current.process.name} exited (${code ?? signal}) at ${new Date().toISOString().slice(11, 23)}: ${reason?.trim().slice(0, 160) ?? 'see its output'}`,
        );
        setTimeout(() => {
          if (closing) return;
          start(current.port)
            .then((service) => {
              replace(service);
              supervise(get, replace, start);
            })
            .catch((error: unknown) => unexpectedExits.push(`${current.process.name} could not be restarted: ${String(error).slice(0, 200)}`));
        }, 1_000);
      });
    };
    const startFetcher = (index: number, port?: number) =>
      startService('recording-fetcher', stack, { label: `fetcher-${index + 1}`, extraEnv: options.fetcherEnv ?? {}, ...(port ? { port } : {}) });

    const startIngest = (port: number) => startService('ingest', stack, { port, extraEnv: options.ingestEnv ?? {} });

    const world: DrillWorld = {
      database,
      redis,
      cluster,
      postgres,
      s3: {
        endpoint: s3.endpoint,
        port: s3Port,
        client: embeddedS3Client(s3.endpoint),
        stop: () => s3.stop(),
        async start() {
          s3 = await startEmbeddedS3({ directory: s3Directory, port: s3Port, buckets: [DRILL_BUCKET] });
        },
      },
      sim,
      stack,
      ingest,
      fetchers,
      account,
      companyId,
      unexpectedExits,
      async crashFetcher(index) {
        intended.add(world.fetchers[index]!.process);
        await world.fetchers[index]!.process.crash();
      },
      async restartFetcher(index) {
        const old = world.fetchers[index]!;
        intended.add(old.process);
        await old.process.stop();
        world.fetchers[index] = await startFetcher(index, old.port);
        supervise(
          () => world.fetchers[index]!,
          (service) => (world.fetchers[index] = service),
          (port) => startFetcher(index, port),
        );
      },
      async crashIngest() {
        intended.add(world.ingest.process);
        await world.ingest.process.crash();
      },
      async restartIngest() {
        const old = world.ingest;
        intended.add(old.process);
        await old.process.stop();
        world.ingest = await startIngest(old.port);
        supervise(
          () => world.ingest,
          (service) => (world.ingest = service),
          startIngest,
        );
      },
      close: async () => {
        closing = true;
        await close();
      },
    };
    // Services may have been replaced by restarts: stop whichever run at the end.
    closers.push(() => Promise.all([world.ingest, ...world.fetchers].map((service) => service.process.stop())));
    supervise(
      () => world.ingest,
      (service) => (world.ingest = service),
      startIngest,
    );
    for (const index of world.fetchers.keys())
      supervise(
        () => world.fetchers[index]!,
        (service) => (world.fetchers[index] = service),
        (port) => startFetcher(index, port),
      );
    return world;
  } catch (error) {
    await close();
    throw error;
  }
}
