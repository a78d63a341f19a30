import { sql } from 'kysely';
import { createProducer, createRedis } from '@callvault/queue';
import { sleep } from '../bench/lib/child-process';
import type { DrillSpec } from './lib/drill';
import type { DrillWorld } from './lib/drill-world';
import { callCompletedParams, recordingStatusParams, type WebhookEvent } from './lib/webhook-load';

/**
 * The "nothing lost" drills. Each returns its spec in a short form (CI, under a minute) or a full
 * form (more calls, longer faults). Recording lengths vary so fetches overlap the fault.
 */
export type DrillFactory = (short: boolean) => DrillSpec;

const mixedLengths = (index: number) => 5 + ((index * 7) % 26);

/** One-to-three-minute calls (2-6 MB): more than the fetchers archive per second, so jobs wait in Redis. */
const backlogLengths = (index: number) => 60 + ((index * 37) % 121);

/**
 * Redis stopped (SIGTERM, AOF flushed) and started again, as a restart by an operator or
 * orchestrator, while a backlog of fetch jobs waits in it.
 */
export const redisRestart: DrillFactory = (short) => {
  let backlog: number | undefined;
  return {
    name: 'redis-restart',
    short,
    world: { redisMode: 'aof' },
    recordings: short ? 200 : 900,
    recordingSeconds: backlogLengths,
    ratePerSecond: short ? 20 : 30,
    fault: {
      atMs: short ? 5_000 : 12_000,
      durationMs: short ? 6_000 : 20_000,
      describe: 'Redis stopped (SIGTERM, append-only file) and restarted',
      async begin(world) {
        backlog = await pendingCount(world);
        await world.redis!.stop();
      },
      end: (world) => world.redis!.start(),
    },
    drainTimeoutMs: short ? 60_000 : 150_000,
    observe: async () => [`${backlog ?? '?'} acknowledged recordings were waiting to be fetched when Redis went down`],
  };
};

async function pendingCount(world: DrillWorld): Promise<number> {
  const rows = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM recordings WHERE company_id = ${world.companyId}::uuid AND status IN ('pending', 'fetching')`.execute(world.database.owner);
  return rows.rows[0]!.n;
}

/**
 * Not in the default set: Redis without any persistence, restarted, so every waiting job is gone.
 * Nothing is lost all the same: the operations service's re-drive finds the recordings still
 * pending (or stored without their follow-ups) after FETCH_REDRIVE_AFTER_SECONDS (15 s here, 600
 * by default) and records their jobs again.
 */
export const redisEphemeral: DrillFactory = (short) => {
  const base = redisRestart(short);
  return {
    ...base,
    name: 'redis-ephemeral',
    world: { redisMode: 'ephemeral', operationsEnv: { FETCH_REDRIVE_AFTER_SECONDS: '15' } },
    fault: { ...base.fault!, describe: "Redis without persistence (--save '' --appendonly no) stopped and restarted" },
    drainTimeoutMs: short ? 45_000 : 90_000,
  };
};

/** Not in the default set: Redis SIGKILLed (up to one second of AOF writes may be gone). */
export const redisCrash: DrillFactory = (short) => {
  const base = redisRestart(short);
  const fault = base.fault!;
  return {
    ...base,
    name: 'redis-crash',
    fault: {
      ...fault,
      describe: 'Redis SIGKILLed (append-only file, fsync every second) and restarted',
      // Counts the backlog as the clean stop does, then crashes instead.
      begin: async (world) => {
        const redis = world.redis!;
        const stop = redis.stop;
        redis.stop = redis.crash;
        try {
          await fault.begin(world);
        } finally {
          redis.stop = stop;
        }
      },
    },
  };
};

async function fetchingIds(world: DrillWorld): Promise<string[]> {
  const rows = await sql<{ id: string }>`SELECT id FROM recordings WHERE company_id = ${world.companyId}::uuid AND status = 'fetching'`.execute(
    world.database.owner,
  );
  return rows.rows.map((row) => row.id);
}

/**
 * One of two fetcher processes SIGKILLed while uploads are in flight, then started again. The
 * fetchers run with WORKER_LOCK_SECONDS=10 (default 30): the killed worker's jobs are taken over
 * within about twice that.
 */
export const fetcherKill: DrillFactory = (short) => {
  let inFlight: string[] = [];
  return {
    name: 'fetcher-kill',
    short,
    world: { fetchers: 2, fetcherEnv: { WORKER_LOCK_SECONDS: '10' } },
    recordings: short ? 60 : 300,
    // Every sixth call is ten minutes long (~19 MB): those are the uploads the kill interrupts.
    recordingSeconds: (index) => (index % 6 === 0 ? 600 : 10 + ((index * 13) % 21)),
    ratePerSecond: 10,
    fault: {
      atMs: short ? 3_000 : 15_000,
      durationMs: 0,
      describe: 'fetcher-1 SIGKILLed mid-upload and restarted (WORKER_LOCK_SECONDS=10)',
      async begin(world) {
        // Wait (bounded) for transfers in flight, so the kill interrupts some.
        for (let i = 0; i < 200 && (await fetchingIds(world)).length < 3; i++) await sleep(25);
        inFlight = await fetchingIds(world);
        await world.crashFetcher(0);
      },
      end: (world) => world.restartFetcher(0),
    },
    drainTimeoutMs: short ? 100_000 : 150_000,
    async observe(world, { faultStartedAt }) {
      if (inFlight.length === 0) return ['no recording was being fetched at the kill'];
      const rows = await sql<{ stored: number; last: Date | null }>`
        SELECT count(*) FILTER (WHERE status = 'stored')::int AS stored, max(stored_at) AS last FROM recordings WHERE id = ANY(${inFlight}::uuid[])
      `.execute(world.database.owner);
      const { stored, last } = rows.rows[0]!;
      return [
        `${inFlight.length} recordings were being fetched (by either process) at the kill; ${stored} of them stored since, the last ${last ? ((last.getTime() - faultStartedAt!) / 1000).toFixed(1) : '-'} s after the kill (BullMQ stalled-job recovery)`,
      ];
    },
  };
};

/**
 * Ingest SIGKILLed under load and started again a second later. Webhooks it had acknowledged
 * whose effects had not committed yet (effects follow the reply) must still become stored
 * recordings: the restarted ingest's effects loop claims them from the event store like any
 * other. Deliveries the kill cut off were never acknowledged; the provider's retries bring them.
 */
export const ingestKill: DrillFactory = (short) => {
  let unappliedAtKill: number | undefined;
  return {
    name: 'ingest-kill',
    short,
    recordings: short ? 240 : 1200,
    recordingSeconds: mixedLengths,
    ratePerSecond: short ? 60 : 100,
    concurrency: 64,
    fault: {
      atMs: short ? 2_000 : 6_000,
      durationMs: 1_000,
      describe: 'ingest SIGKILLed under load and restarted',
      async begin(world) {
        await world.crashIngest();
        unappliedAtKill = await unappliedEvents(world);
      },
      end: (world) => world.restartIngest(),
    },
    drainTimeoutMs: short ? 100_000 : 150_000,
    async observe(world) {
      return [`${unappliedAtKill ?? '-'} acknowledged events had no effects yet at the kill; ${await unappliedEvents(world)} still without them at the end`];
    },
  };
};

/**
 * Redis stopped for a few seconds while short recordings are being archived: fetches that commit
 * "stored" during the outage cannot enqueue their transcription and analytics jobs. Those jobs
 * were committed with the change into the outbox, so the relay delivers them once Redis is back
 * (checked for every drill: a stored recording without its follow-ups counts as lost).
 */
export const followUpRedisBlip: DrillFactory = (short) => {
  let waitingInOutbox: number | undefined;
  let storedDuringOutage: number | undefined;
  return {
    name: 'follow-up-redis-blip',
    short,
    world: { redisMode: 'aof', fetchers: 2 },
    recordings: short ? 120 : 600,
    recordingSeconds: (index) => 5 + (index % 11),
    ratePerSecond: short ? 30 : 40,
    fault: {
      atMs: short ? 2_500 : 6_000,
      durationMs: short ? 4_000 : 10_000,
      describe: 'Redis stopped (SIGTERM) while fetches commit, then started',
      async begin(world) {
        storedDuringOutage = -(await storedRecordings(world));
        await world.redis!.stop();
      },
      async end(world) {
        storedDuringOutage! += await storedRecordings(world);
        waitingInOutbox = await outboxRows(world);
        await world.redis!.start();
      },
    },
    drainTimeoutMs: short ? 60_000 : 120_000,
    observe: async (world) => [
      `${storedDuringOutage ?? '-'} recordings were stored while Redis was down; ${waitingInOutbox ?? '-'} jobs waited in the outbox when it came back, ${await outboxRows(world)} at the end`,
    ],
  };
};

/**
 * The services on a Redis Cluster of three masters with a replica each. The master holding the
 * `recording-fetch` queue (its hash slot, `{recording-fetch}`) is SIGKILLed while callbacks
 * arrive and fetches run; the cluster promotes its replica, and the same clients (ingest's relay,
 * the fetchers' workers) carry on against it. Jobs the relay could not enqueue meanwhile wait in
 * the outbox; a job whose worker lost its lock is taken over after WORKER_LOCK_SECONDS.
 */
export const clusterFailover: DrillFactory = (short) => {
  let killed: { port: number; slot: number } | undefined;
  let promotedPort: number | undefined;
  let promotionSeconds: number | undefined;
  let pendingAtKill: number | undefined;
  return {
    name: 'cluster-failover',
    short,
    world: { redisCluster: true, fetchers: 2, fetcherEnv: { WORKER_LOCK_SECONDS: '10' } },
    recordings: short ? 180 : 900,
    recordingSeconds: mixedLengths,
    ratePerSecond: 30,
    fault: {
      atMs: short ? 3_000 : 12_000,
      durationMs: 0,
      describe: 'the cluster master holding {recording-fetch} SIGKILLed, its replica promoted',
      async begin(world) {
        pendingAtKill = await pendingCount(world);
        killed = await world.cluster!.killMasterOf('{recording-fetch}');
      },
      async end(world) {
        const started = Date.now();
        promotedPort = (await world.cluster!.waitForPromotion(killed!.slot, killed!.port)).port;
        promotionSeconds = (Date.now() - started) / 1000;
      },
    },
    drainTimeoutMs: short ? 60_000 : 120_000,
    observe: async () => [
      `master ${killed?.port ?? '?'} (slot ${killed?.slot ?? '?'}) killed with ${pendingAtKill ?? '?'} acknowledged recordings waiting to be fetched; replica ${promotedPort ?? '?'} serving it ${promotionSeconds?.toFixed(1) ?? '?'} s later`,
    ],
  };
};

async function storedRecordings(world: DrillWorld): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM recordings WHERE company_id = ${world.companyId}::uuid AND status = 'stored'`.execute(
    world.database.owner,
  );
  return rows.rows[0]!.n;
}

async function outboxRows(world: DrillWorld): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM job_outbox`.execute(world.database.owner);
  return rows.rows[0]!.n;
}

async function unappliedEvents(world: DrillWorld): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_events WHERE status = 'accepted' AND applied_at IS NULL`.execute(
    world.database.owner,
  );
  return rows.rows[0]!.n;
}

/** The drill's own Postgres cluster stopped (fast shutdown) and started again. */
export const postgresRestart: DrillFactory = (short) => ({
  name: 'postgres-restart',
  short,
  world: { restartablePostgres: true },
  recordings: short ? 240 : 1200,
  recordingSeconds: mixedLengths,
  ratePerSecond: short ? 20 : 30,
  fault: {
    atMs: short ? 4_000 : 10_000,
    durationMs: short ? 8_000 : 20_000,
    describe: 'Postgres stopped (pg_ctl -m fast) and started',
    begin: (world) => world.postgres!.stop(),
    end: (world) => world.postgres!.start(),
  },
  drainTimeoutMs: short ? 90_000 : 150_000,
  observe: async (world) => [`Postgres outage made with: ${world.postgres!.kind}`],
});

/** The S3 server stopped for a while (connections refused), then back with its data. */
export const s3Outage: DrillFactory = (short) => ({
  name: 's3-outage',
  short,
  recordings: short ? 240 : 1200,
  recordingSeconds: mixedLengths,
  ratePerSecond: short ? 20 : 30,
  fault: {
    atMs: short ? 3_000 : 10_000,
    durationMs: short ? 15_000 : 30_000,
    describe: 'S3 server stopped and restarted',
    begin: (world) => world.s3.stop(),
    end: (world) => world.s3.start(),
  },
  drainTimeoutMs: short ? 90_000 : 150_000,
});

function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0;
  for (let i = result.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/** Each callback (call completed, recording in-progress, recording completed) delivered three times, in random order. */
export const duplicateDelivery: DrillFactory = (short) => ({
  name: 'duplicate-delivery',
  short,
  recordings: short ? 100 : 400,
  recordingSeconds: mixedLengths,
  ratePerSecond: short ? 60 : 80,
  concurrency: 24,
  events: (handles) => {
    const events: WebhookEvent[] = handles.flatMap((handle, index) => {
      const once: WebhookEvent[] = [
        {
          recordingSid: handle.sid,
          path: '/webhooks/twilio/call-status',
          params: callCompletedParams(handle.recordingCompleted, index),
          expectsRecording: false,
        },
        {
          recordingSid: handle.sid,
          path: '/webhooks/twilio/recording-status',
          params: recordingStatusParams(handle.recordingCompleted, 'in-progress'),
          expectsRecording: false,
        },
        { recordingSid: handle.sid, path: '/webhooks/twilio/recording-status', params: recordingStatusParams(handle.recordingCompleted, 'completed') },
      ];
      return [...once, ...once, ...once];
    });
    return shuffled(events, 20_240_601);
  },
  drainTimeoutMs: short ? 60_000 : 120_000,
  async observe(world) {
    const counts = await sql<{ calls: number; call_dupes: number; events: number; keys: number; missing_numbers: number }>`
      SELECT (SELECT count(*) FROM calls WHERE company_id = ${world.companyId}::uuid)::int AS calls,
             (SELECT coalesce(sum(c - 1), 0) FROM (SELECT count(*) AS c FROM calls WHERE company_id = ${world.companyId}::uuid GROUP BY twilio_call_sid) x)::int AS call_dupes,
             (SELECT count(*) FROM webhook_events WHERE company_id = ${world.companyId}::uuid)::int AS events,
             (SELECT count(DISTINCT idempotency_key) FROM webhook_events WHERE company_id = ${world.companyId}::uuid)::int AS keys,
             (SELECT count(*) FROM recordings WHERE company_id = ${world.companyId}::uuid AND status = 'stored' AND from_number IS NULL)::int AS missing_numbers
    `.execute(world.database.owner);
    const redis = createRedis(world.stack.redis, 'producer');
    const producer = createProducer(redis, world.stack.queuePrefix);
    try {
      const jobs = await producer.queue('recording-fetch').getJobCounts('completed', 'failed', 'active', 'wait', 'delayed', 'prioritized');
      const c = counts.rows[0]!;
      return [
        `${c.calls} calls (${c.call_dupes} duplicate), ${c.events} webhook events for ${c.keys} idempotency keys, ${c.missing_numbers} stored recordings without the caller's number`,
        `recording-fetch jobs: ${Object.entries(jobs)
          .map(([state, n]) => `${state} ${n}`)
          .join(', ')}`,
      ];
    } finally {
      await producer.close();
      redis.disconnect();
    }
  },
});

export const DEFAULT_DRILLS: Record<string, DrillFactory> = {
  'redis-restart': redisRestart,
  'fetcher-kill': fetcherKill,
  'ingest-kill': ingestKill,
  'postgres-restart': postgresRestart,
  's3-outage': s3Outage,
  'duplicate-delivery': duplicateDelivery,
  'follow-up-redis-blip': followUpRedisBlip,
  'cluster-failover': clusterFailover,
};

export const EXTRA_DRILLS: Record<string, DrillFactory> = {
  'redis-ephemeral': redisEphemeral,
  'redis-crash': redisCrash,
};
