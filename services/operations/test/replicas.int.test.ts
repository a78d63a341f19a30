import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProducer, createRedis, deleteQueueKeys, runWorker, type MaintenanceTask, type Producer, type RunningWorker } from '@callvault/queue';
import { createOutboxRelay, type DrainLoop } from '@callvault/service-kit';
import { createTestEnvironment, seedCompany, seedTwilioAccount, type TestEnvironment } from '@callvault/testing';
import { processMaintenance } from '../src/maintenance.processor';
import { registerSchedules } from '../src/schedules';

/**
 * Two operations replicas side by side, each registering the schedules and running a maintenance
 * worker, as two processes started from one image do: each period's task runs once across both
 * (a BullMQ job scheduler, not a timer per process), and the provider sync it schedules is one
 * job per company however many runs ask for it.
 */
let env: TestEnvironment;
const PERIOD_MS = 1_000;
const SCHEDULE: Array<[MaintenanceTask, number]> = [
  ['retention-sweep', PERIOD_MS],
  ['schedule-syncs', PERIOD_MS],
];

interface Replica {
  producer: Producer;
  relay: DrainLoop;
  worker: RunningWorker;
  connection: ReturnType<typeof createRedis>;
  ran: Array<{ task: MaintenanceTask; jobId: string }>;
}

async function startReplica(): Promise<Replica> {
  const producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  const relay = createOutboxRelay({ db: env.db, producer, log: env.log });
  relay.start();
  const connection = createRedis(env.redis, 'worker');
  const ran: Replica['ran'] = [];
  const worker = runWorker({
    queue: 'maintenance',
    connection,
    prefix: env.config.QUEUE_PREFIX,
    concurrency: 2,
    log: env.log,
    process: async (payload, context) => {
      ran.push({ task: payload.task, jobId: String(context.job.id) });
      return processMaintenance({ config: env.config, db: env.db, jobsCommitted: () => relay.wake() }, payload, context);
    },
  });
  await registerSchedules(producer, SCHEDULE);
  return { producer, relay, worker, connection, ran };
}

beforeAll(async () => {
  env = await createTestEnvironment({ SYNC_INTERVAL_MINUTES: '15' });
});

afterAll(async () => {
  if (env) await deleteQueueKeys(env.redis, env.config.QUEUE_PREFIX);
  await env?.close();
});

describe('two operations replicas', () => {
  it('run each scheduled task once per period between them, and schedule one provider sync per company', async () => {
    const companies = [await seedCompany(env), await seedCompany(env), await seedCompany(env)];
    for (const company of companies) await seedTwilioAccount(env, company.id);
    const started = Date.now();
    const replicas = [await startReplica(), await startReplica()];
    await new Promise((resolve) => setTimeout(resolve, 4.5 * PERIOD_MS));
    for (const replica of replicas) await replica.producer.queue('maintenance').removeJobScheduler('retention-sweep');
    for (const replica of replicas) await replica.producer.queue('maintenance').removeJobScheduler('schedule-syncs');
    const elapsed = Date.now() - started;
    for (const replica of replicas) {
      await replica.worker.close();
      replica.connection.disconnect();
    }
    // The relays pass on what the last runs recorded, then stop.
    for (const replica of replicas) {
      replica.relay.wake();
      await replica.relay.stop();
    }

    const ran = replicas.flatMap((replica) => replica.ran);
    // Both replicas were live and took work: the once-per-period below is not one idle replica.
    for (const replica of replicas) expect(replica.ran.length).toBeGreaterThan(0);
    const periods = Math.ceil(elapsed / PERIOD_MS);
    for (const task of ['retention-sweep', 'schedule-syncs'] as const) {
      const runs = ran.filter((run) => run.task === task);
      expect(runs.length, `${task} runs in ${elapsed} ms`).toBeGreaterThanOrEqual(3);
      // A timer in each replica would run it about twice per period.
      expect(runs.length, `${task} runs in ${elapsed} ms`).toBeLessThanOrEqual(periods + 1);
      expect(new Set(runs.map((run) => run.jobId)).size, `${task}: no job ran twice`).toBe(runs.length);
    }
    const syncs = await replicas[0]!.producer.queue('provider-sync').getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
    const syncsByCompany = new Map<string, number>();
    for (const job of syncs) syncsByCompany.set(job.data.companyId, (syncsByCompany.get(job.data.companyId) ?? 0) + 1);
    for (const company of companies) expect(syncsByCompany.get(company.id), `syncs of ${company.name}`).toBe(1);
    for (const replica of replicas) await replica.producer.close();
  }, 30_000);
});
