import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createDb } from '@callvault/db';
import { createProducer, createRedis } from '@callvault/queue';
import { deliverTwilioWebhook, encodeForm, signTwilioForm } from '@callvault/simulator';
import { createTestEnvironment, fakeSid, freePort, seedCompany, seedTwilioAccount, type TestEnvironment } from '@callvault/testing';
import { buildApp } from '../src/app';
import { composeIngest } from '../src/compose-ingest';
import { createEffectsApplier, type EffectsApplier } from '../src/effects-applier';
import { createEventIntake } from '../src/event-intake';
import { createEventRelay } from '../src/event-relay';
import { startIngest } from './ingest-harness';

const completed = Object.fromEntries(new URLSearchParams(readFileSync(new URL('../../../packages/testing/fixtures/twilio/recording-status-completed.form', import.meta.url), 'utf8').trim()));

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env?.close());

describe('ingest during outages', () => {
  it('acknowledges and stores while Redis is down; the relay enqueues the stored jobs when Redis is back', async () => {
    const deadRedisPort = await freePort();
    const ingest = await startIngest({ env, redisUrl: `redis://127.0.0.1:${deadRedisPort}` });
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const params = { ...completed, AccountSid: account.external_id, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    try {
      const started = performance.now();
      const response = await deliverTwilioWebhook({ publicBaseUrl: env.config.PUBLIC_BASE_URL, targetBaseUrl: ingest.url, path: '/webhooks/twilio/recording-status', authToken: account.authToken, params });
      expect(response.status).toBe(204);
      expect(performance.now() - started).toBeLessThan(3_000);
      // The effects commit; their enqueue gives up on the absent Redis.
      await ingest.settled();
    } finally {
      await ingest.close();
    }
    const event = await env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', '=', account.external_id).executeTakeFirstOrThrow();
    expect(event.enqueued_at).toBeNull();
    expect(event.jobs).toHaveLength(1);

    const redis: Redis = createRedis(env.config.REDIS_URL, 'producer');
    const producer = createProducer(redis, env.config.QUEUE_PREFIX);
    try {
      const applier = createEffectsApplier({ db: env.db, producer, log: env.log });
      const relay = createEventRelay({ db: env.db, producer, applier, log: env.log, olderThanSeconds: 0 });
      expect(await relay.runOnce()).toBe(1);
      expect(await relay.runOnce()).toBe(0);
      const [recording] = await env.ownerDb.selectFrom('recordings').select('id').where('provider_recording_id', '=', params.RecordingSid).execute();
      const job = await producer.queue('recording-fetch').getJob(`fetch-${recording!.id}`);
      expect(job?.data).toEqual({ companyId: company.id, recordingId: recording!.id });
      const relayed = await env.ownerDb.selectFrom('webhook_events').select('enqueued_at').where('id', '=', event.id).executeTakeFirstOrThrow();
      expect(relayed.enqueued_at).not.toBeNull();
    } finally {
      await producer.close();
      redis.disconnect();
    }
  });

  it('applies what was acknowledged when the process stopped before its effects: from the event store, once', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const redis = createRedis(env.config.REDIS_URL, 'producer');
    const producer = createProducer(redis, env.config.QUEUE_PREFIX);
    const deps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
    // The events commit and are acknowledged, and their effects never start: a crash right after
    // the reply, or a backlog already full (whose hand-overs are declined).
    const lostEffects: EffectsApplier = { offer: () => false, apply: async () => undefined, backlog: () => 0, room: () => 0, declined: () => 0, onDrainedAfterDeclining: () => undefined, settled: async () => undefined };
    const app = buildApp({ ...deps, intake: createEventIntake({ db: env.db, producer: deps.producer, applier: lostEffects, log: env.log }) });
    const params = { ...completed, AccountSid: account.external_id, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    try {
      const signature = signTwilioForm(account.authToken, `${env.config.PUBLIC_BASE_URL}/webhooks/twilio/recording-status`, params);
      const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/recording-status', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: encodeForm(params) });
      expect(response.statusCode).toBe(204);
      const recordings = () => env.ownerDb.selectFrom('recordings').select('id').where('provider_recording_id', '=', params.RecordingSid).execute();
      expect(await recordings()).toHaveLength(0);
      const event = await env.ownerDb.selectFrom('webhook_events').selectAll().where('idempotency_key', 'like', `%${params.RecordingSid}%`).executeTakeFirstOrThrow();
      expect(event).toMatchObject({ status: 'accepted', applied_at: null, company_id: company.id });

      const relay = createEventRelay({ db: env.db, producer, applier: deps.applier, log: env.log, olderThanSeconds: 0 });
      await relay.runOnce();
      const [recording] = await recordings();
      expect(recording).toBeDefined();
      expect((await producer.queue('recording-fetch').getJob(`fetch-${recording!.id}`))?.data).toEqual({ companyId: company.id, recordingId: recording!.id });
      const applied = await env.ownerDb.selectFrom('webhook_events').select(['applied_at', 'enqueued_at']).where('id', '=', event.id).executeTakeFirstOrThrow();
      expect(applied.applied_at).not.toBeNull();
      expect(applied.enqueued_at).not.toBeNull();
      await relay.runOnce();
      expect(await recordings()).toHaveLength(1);
    } finally {
      await app.close();
      await producer.close();
      redis.disconnect();
    }
  });

  it('answers 503 and acknowledges nothing while Postgres is unreachable', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const deadDb = createDb(`postgres://callvault_app@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 1 });
    const redis = createRedis(env.config.REDIS_URL, 'producer');
    const producer = createProducer(redis, env.config.QUEUE_PREFIX);
    const app = buildApp(composeIngest({ config: env.config, db: deadDb, producer, log: env.log }));
    try {
      const params = { ...completed, AccountSid: account.external_id, RecordingSid: fakeSid('RE') };
      const response = await app.inject({
        method: 'POST',
        url: '/webhooks/twilio/recording-status',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'irrelevant' },
        payload: new URLSearchParams(params).toString(),
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'store_unavailable', message: 'the event could not be stored; retry later' });
      expect(response.body).not.toMatch(/ECONNREFUSED|postgres|stack/i);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await app.close();
      await producer.close();
      redis.disconnect();
      await deadDb.destroy();
    }
  });
});
