import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWebhookEndpoint, withCompany } from '@callvault/db';
import { generateSigningSecret, processWebhookDelivery, recordOutboundEvent, sealSigningSecret, type PostPolicy } from '@callvault/outbound-events';
import { connectProducer, createRedis, runWorker, type Producer, type RunningWorker } from '@callvault/queue';
import { createOutboxRelay, type DrainLoop } from '@callvault/service-kit';
import {
  createTestEnvironment,
  seedCompany,
  startPrivateRedis,
  startStandardWebhooksReceiver,
  waitFor,
  type PrivateRedis,
  type StandardWebhooksReceiver,
  type TestEnvironment,
} from '@callvault/testing';

/**
 * "Nothing lost" for outbound webhooks, with the production retry schedule (the first retry comes
 * after 24-30 s, so this test takes about 45 s): the customer's endpoint goes down, Redis is
 * restarted while events keep being recorded, the endpoint comes back, and every event arrives
 * once, with the webhook-id it was given in the transaction that recorded it, signed so that a
 * verifier written from the specification (not the library we sign with) accepts it.
 */
let redis: PrivateRedis;
let env: TestEnvironment;
let producer: Producer;
let relay: DrainLoop;
let worker: RunningWorker;
let receiver: StandardWebhooksReceiver;
let companyId: string;
let endpointId: string;

const policy: PostPolicy = { allowLoopback: true, privateHosts: [], timeoutMs: 2_000, maxResponseBytes: 4_096 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await startPrivateRedis();
  env = await createTestEnvironment({ REDIS_URL: redis.url });
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  relay = createOutboxRelay({ db: env.db, producer, log: env.log, idleMs: 200 });
  relay.start();
  const workerRedis = createRedis(env.redis, 'worker');
  const running = runWorker({
    queue: 'webhook-delivery',
    connection: workerRedis,
    prefix: env.config.QUEUE_PREFIX,
    concurrency: 8,
    log: env.log,
    process: (payload, context) => processWebhookDelivery({ db: env.db, box: env.box, policy }, payload, context),
  });
  worker = {
    ...running,
    async close() {
      await running.close(1_000);
      workerRedis.disconnect();
    },
  };
  companyId = (await seedCompany(env)).id;
  const secret = generateSigningSecret();
  receiver = await startStandardWebhooksReceiver(secret);
  endpointId = (
    await withCompany(env.db, companyId, (tx) =>
      insertWebhookEndpoint(tx, { url: receiver.url, description: null, eventTypes: ['recording.stored'] }, (id) =>
        sealSigningSecret(env.box, companyId, id, secret),
      ),
    )
  ).id;
});

afterAll(async () => {
  await worker?.close();
  await relay?.stop();
  await producer?.close();
  await receiver?.stop();
  await env?.close();
  await redis?.close();
});

let recorded = 0;
/** `count` events, each committed in its own transaction as a fetcher records a stored recording. */
async function recordEvents(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    recorded += 1;
    const sizeBytes = recorded;
    await withCompany(env.db, companyId, (tx) =>
      recordOutboundEvent(tx, 'recording.stored', {
        recordingId: crypto.randomUUID(),
        callId: crypto.randomUUID(),
        format: 'wav',
        sizeBytes,
        sha256: '0'.repeat(64),
      }),
    );
  }
  relay.wake();
}

const deliveries = () =>
  env.ownerDb.selectFrom('webhook_deliveries').select(['id', 'status', 'payload']).where('endpoint_id', '=', endpointId).orderBy('created_at').execute();
const failedAttempts = async () =>
  Number(
    (
      await env.ownerDb
        .selectFrom('webhook_delivery_attempts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('company_id', '=', companyId)
        .where('error', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
const outboxSize = async () =>
  Number(
    (
      await env.ownerDb
        .selectFrom('job_outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('outbound webhooks under failure', () => {
  it('deliver every event, with its original webhook-id, after the endpoint was down and Redis restarted', { timeout: 120_000 }, async () => {
    // Everything up: delivered at once.
    await recordEvents(5);
    await waitFor(async () => receiver.accepted.length === 5, { what: 'the first five deliveries' });

    // The endpoint goes down: attempts fail (connection refused) and wait for their retry in Redis.
    await receiver.stop();
    await recordEvents(5);
    await waitFor(async () => (await failedAttempts()) >= 5, { what: 'five refused attempts' });

    // Redis restarts (the delayed retries are in its append-only file) while events keep being
    // recorded: their commits succeed and their jobs wait in the outbox until Redis is back.
    await redis.stop();
    await recordEvents(5);
    await sleep(1_000);
    expect(await outboxSize()).toBeGreaterThanOrEqual(5);
    await redis.start();
    await waitFor(async () => (await outboxSize()) === 0, { timeoutMs: 20_000, what: 'the outbox to drain into the restarted Redis' });
    await waitFor(async () => (await failedAttempts()) >= 10, { timeoutMs: 20_000, what: 'the events recorded during the outage to be tried' });

    // The endpoint comes back; the retries deliver everything.
    await sleep(2_000);
    await receiver.start();
    await waitFor(async () => (await deliveries()).every((delivery) => delivery.status === 'delivered'), {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: 'every delivery to succeed',
    });

    const expected = await deliveries();
    expect(expected).toHaveLength(15);
    expect(receiver.refused).toEqual([]);
    // Each event once, under the id its delivery got when the event was recorded, with its own payload.
    expect(receiver.accepted.map((request) => request.id).sort()).toEqual(expected.map((delivery) => delivery.id).sort());
    for (const request of receiver.accepted) {
      const delivery = expected.find((candidate) => candidate.id === request.id)!;
      expect(JSON.parse(request.body)).toEqual(delivery.payload);
    }
    expect(new Set(receiver.accepted.map((request) => JSON.parse(request.body).data.sizeBytes)).size).toBe(15);
    // The ten that met the closed endpoint were tried, refused, and delivered by a later attempt.
    const attempts = await env.ownerDb
      .selectFrom('webhook_delivery_attempts')
      .select(['delivery_id', 'attempt', 'status_code', 'error'])
      .where('company_id', '=', companyId)
      .orderBy('attempted_at')
      .execute();
    const retried = expected.slice(5).map((delivery) => attempts.filter((attempt) => attempt.delivery_id === delivery.id));
    for (const tries of retried) {
      expect(tries.length).toBeGreaterThanOrEqual(2);
      expect(tries[0]).toMatchObject({ attempt: 1, status_code: null, error: expect.stringMatching(/ECONNREFUSED/) });
      expect(tries.at(-1)).toMatchObject({ status_code: 204, error: null });
    }
  });
});
