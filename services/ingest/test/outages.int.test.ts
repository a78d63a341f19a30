import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@callvault/db';
import { connectProducer } from '@callvault/queue';
import { createOutboxRelay } from '@callvault/service-kit';
import { deliverTwilioWebhook } from '@callvault/simulator';
import { createTestEnvironment, fakeSid, freePort, seedCompany, seedTwilioAccount, type TestEnvironment, twilioFormFixture } from '@callvault/testing';
import { buildApp } from '../src/app';
import { composeIngest } from '../src/compose-ingest';
import { startIngest } from './ingest-harness';

const completed = twilioFormFixture('recording-status-completed');

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env?.close());

const outbox = () => env.ownerDb.selectFrom('job_outbox').selectAll().execute();

describe('ingest during outages', () => {
  it('acknowledges, stores and applies while Redis is down; the outbox keeps the jobs until a relay reaches Redis', async () => {
    const deadRedisPort = await freePort();
    const ingest = await startIngest({ env, redis: { kind: 'standalone', url: `redis://127.0.0.1:${deadRedisPort}` } });
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const params = { ...completed, AccountSid: account.external_id, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    try {
      const started = performance.now();
      const response = await deliverTwilioWebhook({
        publicBaseUrl: env.config.PUBLIC_BASE_URL,
        targetBaseUrl: ingest.url,
        path: '/webhooks/twilio/recording-status',
        authToken: account.authToken,
        params,
      });
      expect(response.status).toBe(204);
      expect(performance.now() - started).toBeLessThan(3_000);
      // The effects need only Postgres; their job's enqueue fails on the absent Redis and stays in the outbox.
      await ingest.deps.effects.settled();
    } finally {
      await ingest.close();
    }
    const event = await env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', '=', account.external_id).executeTakeFirstOrThrow();
    expect(event.applied_at).not.toBeNull();
    const [recording] = await env.ownerDb.selectFrom('recordings').select('id').where('provider_recording_id', '=', params.RecordingSid).execute();
    expect(await outbox()).toEqual([expect.objectContaining({ company_id: company.id, queue: 'recording-fetch', job_id: `fetch-${recording!.id}` })]);

    const producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
    const relay = createOutboxRelay({ db: env.db, producer, log: env.log });
    try {
      await relay.settled();
      const job = await producer.queue('recording-fetch').getJob(`fetch-${recording!.id}`);
      expect(job?.data).toEqual({ companyId: company.id, recordingId: recording!.id });
      expect(await outbox()).toEqual([]);
    } finally {
      await relay.stop();
      await producer.close();
    }
  });

  it('answers 503 with nothing stored when Postgres is down, so the provider can retry', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const deadDb = createDb(`postgres://callvault_app@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 1 });
    const producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
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
      expect(response.json()).toMatchObject({ status: 503, code: 'store_unavailable', detail: 'the event could not be stored; retry later' });
      expect(response.body).not.toMatch(/ECONNREFUSED|postgres|stack/i);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await app.close();
      await producer.close();
      await deadDb.destroy();
    }
  });
});
