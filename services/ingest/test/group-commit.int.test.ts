import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from '@callvault/queue';
import { encodeForm, signTwilioForm } from '@callvault/simulator';
import { fakeSid, seedCompany, seedTwilioAccount, type TestEnvironment } from '@callvault/testing';
import { upsertTwilioCall } from '@callvault/db';
import { createEffectsApplier } from '../src/effects-applier';
import { createEventIntake, type EventEffects, type IntakeEvent } from '../src/event-intake';
import { createEventRelay } from '../src/event-relay';
import { metricSample, startIngest, type IngestHarness } from './ingest-harness';

/**
 * Group commit under a real burst: concurrent deliveries share transactions, and every one of
 * them still gets exactly the effect it would have had alone (duplicates inside one batch, two
 * recordings of one call, two companies in one batch), and one bad event fails nobody else.
 */
const fixture = (name: string): Record<string, string> => Object.fromEntries(new URLSearchParams(readFileSync(new URL(`../../../packages/testing/fixtures/twilio/${name}.form`, import.meta.url), 'utf8').trim()));
const FIXTURE = fixture('recording-status-completed');
const CALL_COMPLETED = fixture('call-status-completed');
const PATH = '/webhooks/twilio/recording-status';
const CALL_PATH = '/webhooks/twilio/call-status';

let ingest: IngestHarness;
let env: TestEnvironment;
let producer: Producer;
let app: FastifyInstance;

beforeAll(async () => {
  ingest = await startIngest();
  ({ env, producer, app } = ingest);
});
afterAll(async () => ingest?.close());

function post(params: Record<string, string>, authToken: string, path = PATH) {
  const signature = signTwilioForm(authToken, `${env.config.PUBLIC_BASE_URL}${path}`, params);
  return app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: encodeForm(params) });
}

/** An event of the test's own kind, resolved to `companyId`, whose effects are `effects`. */
function resolvedEvent(key: string, companyId: string, effects: EventEffects): IntakeEvent {
  return {
    provider: 'twilio',
    eventType: 'test',
    idempotencyKey: key,
    externalAccountId: null,
    callRef: key,
    payload: { key },
    requestPath: '/test',
    authenticatedCompanyIds: [companyId],
    prepare: async () => ({
      resolution: { kind: 'resolved', companyId, ownerUserId: null, evidence: 'provider_account', tagRejected: false },
      effects,
    }),
  };
}

describe('a burst of concurrent webhooks', () => {
  it('commits in shared transactions with exactly the effects of one-by-one delivery', async () => {
    const companyA = await seedCompany(env);
    const companyB = await seedCompany(env);
    const accountA = await seedTwilioAccount(env, companyA.id);
    const accountB = await seedTwilioAccount(env, companyB.id);
    const callback = (account: typeof accountA, overrides: Record<string, string> = {}): Record<string, string> => ({ ...FIXTURE, AccountSid: account.external_id, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE'), ...overrides });

    const sharedCall = fakeSid('CA');
    const repeated = callback(accountA);
    const deliveries = [
      ...Array.from({ length: 20 }, () => ({ params: callback(accountA), token: accountA.authToken })),
      ...Array.from({ length: 10 }, () => ({ params: callback(accountB), token: accountB.authToken })),
      // Two recordings of one call: one statement may touch the call once, so they take two rounds.
      { params: callback(accountA, { CallSid: sharedCall }), token: accountA.authToken },
      { params: callback(accountA, { CallSid: sharedCall }), token: accountA.authToken },
      // A provider retry arriving with the original: one event, one recording, one job.
      ...Array.from({ length: 4 }, () => ({ params: repeated, token: accountA.authToken })),
      { params: callback(accountA, { RecordingStatus: 'absent', ErrorCode: '13617' }), token: accountA.authToken },
    ];
    const responses = await Promise.all(deliveries.map((delivery) => post(delivery.params, delivery.token)));
    expect(responses.map((response) => response.statusCode)).toEqual(deliveries.map(() => 204));
    await ingest.settled();

    const distinct = new Map(deliveries.map((delivery) => [delivery.params.RecordingSid!, delivery.params]));
    const events = await env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', 'in', [accountA.external_id, accountB.external_id]).execute();
    expect(events).toHaveLength(distinct.size);
    for (const event of events) {
      const params = event.payload as Record<string, string>;
      expect(event.company_id).toBe(params.AccountSid === accountA.external_id ? companyA.id : companyB.id);
      expect(event.enqueued_at).not.toBeNull();
      expect(event.applied_at).not.toBeNull();
      expect(event.jobs).toHaveLength(params.RecordingStatus === 'completed' ? 1 : 0);
    }

    const recordings = await env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', 'in', [...distinct.keys()]).execute();
    expect(recordings).toHaveLength(distinct.size);
    for (const recording of recordings) {
      const params = distinct.get(recording.provider_recording_id)!;
      expect(recording.company_id).toBe(params.AccountSid === accountA.external_id ? companyA.id : companyB.id);
      expect(recording.status).toBe(params.RecordingStatus === 'completed' ? 'pending' : 'absent');
      const job = await producer.queue('recording-fetch').getJob(`fetch-${recording.id}`);
      expect(job === undefined, recording.provider_recording_id).toBe(params.RecordingStatus !== 'completed');
    }
    const sharedCalls = await env.ownerDb.selectFrom('calls').select('id').where('twilio_call_sid', '=', sharedCall).execute();
    expect(sharedCalls).toHaveLength(1);
    expect(recordings.filter((recording) => recording.call_id === sharedCalls[0]!.id)).toHaveLength(2);

    // Fewer transactions than deliveries: the burst was grouped.
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const batches = metricSample(metrics, 'callvault_event_commit_batch_size_count');
    expect(metricSample(metrics, 'callvault_event_commit_batch_size_sum')).toBe(deliveries.length);
    expect(batches).toBeLessThan(deliveries.length / 2);
    // ...and so were their effects, after the replies...
    const effectBatches = metricSample(metrics, 'callvault_event_effects_batch_size_count');
    expect(metricSample(metrics, 'callvault_event_effects_batch_size_sum')).toBe(distinct.size);
    expect(effectBatches).toBeLessThan(distinct.size / 2);
    // ...and no batch needed the one-by-one fallback (repeats and shared calls are planned for).
    expect(metricSample(metrics, 'callvault_event_commit_fallbacks_total')).toBe(0);
    expect(metricSample(metrics, 'callvault_event_effects_fallbacks_total')).toBe(0);
  });
});

describe('a burst of call-status callbacks', () => {
  it('applies them set-based with the effects of one-by-one delivery: status forward only, legs merged, numbers onto recordings, carried recordings', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const status = (callSid: string, overrides: Record<string, string>): Record<string, string> => ({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: callSid, ...overrides });
    const [plain, twoLegs, recorded, carrying] = [fakeSid('CA'), fakeSid('CA'), fakeSid('CA'), fakeSid('CA')];
    const carriedSid = fakeSid('RE');
    // The recording of `recorded` arrives first; the call's numbers reach it from the call-status events.
    expect((await post({ ...FIXTURE, AccountSid: account.external_id, CallSid: recorded, RecordingSid: fakeSid('RE') }, account.authToken)).statusCode).toBe(204);
    await ingest.settled();
    const deliveries = [
      ...Array.from({ length: 12 }, () => status(fakeSid('CA'), { From: '+14155550100', To: '+13125550100' })),
      // Out of order: completed, then a late ringing (even one carrying a duration) that changes nothing.
      status(plain, { CallStatus: 'completed', SequenceNumber: '3' }),
      status(plain, { CallStatus: 'ringing', SequenceNumber: '1', CallDuration: '0' }),
      // A child leg names its parent: one call, the parent's numbers.
      status(twoLegs, { CallStatus: 'in-progress', From: '+14155550111', To: '+13125550111' }),
      status(fakeSid('CA'), { ParentCallSid: twoLegs, CallStatus: 'completed', From: '+19995550000', To: '+19995550001' }),
      status(recorded, { CallStatus: 'completed', From: '+14155550122', To: '+13125550122' }),
      // REST Record=true: the completed call carries its recording.
      status(carrying, { CallStatus: 'completed', RecordingSid: carriedSid, RecordingUrl: `${env.config.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${account.external_id}/Recordings/${carriedSid}`, RecordingDuration: '42' }),
    ];
    const responses = await Promise.all(deliveries.map((params) => post(params, account.authToken, CALL_PATH)));
    expect(responses.map((response) => response.statusCode)).toEqual(deliveries.map(() => 204));
    await ingest.settled();

    const calls = await env.ownerDb.selectFrom('calls').selectAll().where('company_id', '=', company.id).execute();
    const call = (sid: string) => calls.find((row) => row.twilio_call_sid === sid)!;
    expect(calls).toHaveLength(16);
    expect(call(plain)).toMatchObject({ status: 'completed', duration_seconds: Number(CALL_COMPLETED.CallDuration) });
    expect(call(twoLegs)).toMatchObject({ status: 'in-progress', from_number: '+14155550111', to_number: '+13125550111' });
    const [backfilled] = await env.ownerDb.selectFrom('recordings').selectAll().where('call_id', '=', call(recorded).id).execute();
    expect(backfilled).toMatchObject({ from_number: '+14155550122', to_number: '+13125550122', direction: CALL_COMPLETED.Direction });
    const [carried] = await env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', carriedSid).execute();
    expect(carried).toMatchObject({ call_id: call(carrying).id, status: 'pending', duration_seconds: 42 });
    expect((await producer.queue('recording-fetch').getJob(`fetch-${carried!.id}`))?.data).toEqual({ companyId: company.id, recordingId: carried!.id });
    const events = await env.ownerDb.selectFrom('webhook_events').select(['applied_at', 'jobs', 'call_ref']).where('external_account_id', '=', account.external_id).where('event_type', '=', 'call-status').execute();
    expect(events).toHaveLength(deliveries.length);
    expect(events.filter((event) => event.applied_at === null)).toEqual([]);
    expect(events.filter((event) => (event.jobs as unknown[]).length > 0).map((event) => event.call_ref)).toEqual([carrying]);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricSample(metrics, 'callvault_event_effects_fallbacks_total')).toBe(0);
  });
});

describe('effects that fail after the acknowledgement', () => {
  it('apply for the neighbours, stay unapplied for the failing event, and are applied by the sweep once it can', async () => {
    const company = await seedCompany(env);
    const counter = (name: string) => new Counter({ name, help: name, registers: [] });
    const [fallbacks, failures] = [counter('test_fallbacks'), counter('test_failures')];
    const applier = createEffectsApplier({ db: env.db, producer, log: env.log, fallbacks, failures });
    const intake = createEventIntake({ db: env.db, producer: ingest.producer, applier, log: env.log });
    let broken = true;
    const effects = (fail: boolean): EventEffects => ({
      apply: async (tx) => {
        if (fail && broken) throw new Error('effect failed');
        // A real write, so that "applied" is visible in the company's data.
        await upsertTwilioCall(tx, { accountSid: 'AC00000000000000000000000000000000', callSid: fakeSid('CA'), ownerUserId: null, status: 'completed' });
        return [];
      },
    });
    const event = (key: string, fail: boolean) => resolvedEvent(key, company.id, effects(fail));
    const keys = Array.from({ length: 6 }, () => `test:${fakeSid('RE')}`);
    // Every event is stored and acknowledged: a failing effect cannot fail its delivery.
    const settled = await Promise.allSettled(keys.map((key, index) => intake.store(event(key, index === 3))));
    expect(settled.map((result) => result.status)).toEqual(keys.map(() => 'fulfilled'));
    await intake.settled();
    const rows = () => env.ownerDb.selectFrom('webhook_events').select(['idempotency_key', 'applied_at']).where('idempotency_key', 'in', keys).execute();
    const applied = async () => (await rows()).filter((row) => row.applied_at !== null).map((row) => row.idempotency_key).sort();
    expect((await rows()).map((row) => row.idempotency_key).sort()).toEqual([...keys].sort());
    expect(await applied()).toEqual(keys.filter((_key, index) => index !== 3).sort());
    expect((await fallbacks.get()).values[0]?.value).toBe(1);
    expect((await failures.get()).values[0]?.value).toBe(1);
    const calls = await env.ownerDb.selectFrom('calls').select('id').where('company_id', '=', company.id).execute();
    expect(calls).toHaveLength(5);

    // The sweep rebuilds effects from the stored row; here the test's own, now working.
    broken = false;
    const relay = createEventRelay({ db: env.db, producer, applier, log: env.log, olderThanSeconds: 0, effectsOf: () => effects(true) });
    expect(await relay.runOnce()).toBeGreaterThanOrEqual(1);
    expect(await applied()).toEqual([...keys].sort());
    expect(await env.ownerDb.selectFrom('calls').select('id').where('company_id', '=', company.id).execute()).toHaveLength(6);
    // Applied once: a second pass finds nothing of this company left to do.
    await relay.runOnce();
    expect(await env.ownerDb.selectFrom('calls').select('id').where('company_id', '=', company.id).execute()).toHaveLength(6);
  });
});

describe('a full effects backlog', () => {
  it('leaves declined events to the sweep, which applies them as soon as the backlog drains, not once they have aged', async () => {
    const company = await seedCompany(env);
    const declinedCounter = new Counter({ name: 'test_declined', help: 'test_declined', registers: [] });
    const applier = createEffectsApplier({ db: env.db, producer, log: env.log, maxBacklog: 1, declinedCounter });
    const intake = createEventIntake({ db: env.db, producer: ingest.producer, applier, log: env.log });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const keys = Array.from({ length: 3 }, () => `test:${fakeSid('RE')}`);
    const effects = (key: string): EventEffects => ({
      apply: async (tx) => {
        // The first event holds the backlog's one place until the test lets it go.
        if (key === keys[0]) await gate;
        await upsertTwilioCall(tx, { accountSid: 'AC00000000000000000000000000000000', callSid: `CA${key.slice(-32)}`, ownerUserId: null, status: 'completed' });
        return [];
      },
    });
    const event = (key: string) => resolvedEvent(key, company.id, effects(key));
    // Each store returns after its hand-over: the first takes the place, the next two are declined.
    for (const key of keys) expect((await intake.store(event(key))).outcome).toBe('accepted');
    expect(applier.declined()).toBe(2);
    expect((await declinedCounter.get()).values[0]?.value).toBe(2);

    // A sweep that would only take events an hour old: declined events must not wait for that.
    const relay = createEventRelay({ db: env.db, producer, applier, log: env.log, olderThanSeconds: 3600, effectsOf: (row) => (keys.includes(row.idempotency_key) ? effects(row.idempotency_key) : undefined) });
    relay.start(3_600_000);
    try {
      const applied = async () =>
        (await env.ownerDb.selectFrom('webhook_events').select(['idempotency_key', 'applied_at']).where('idempotency_key', 'in', keys).execute())
          .filter((row) => row.applied_at !== null)
          .map((row) => row.idempotency_key)
          .sort();
      expect(await applied()).toEqual([]);
      release();
      await expect.poll(applied, { timeout: 5_000 }).toEqual([...keys].sort());
      // Once each: the first event was the applier's, the other two the sweep's.
      expect(await env.ownerDb.selectFrom('calls').select('id').where('company_id', '=', company.id).execute()).toHaveLength(3);
    } finally {
      await relay.stop();
    }
  });
});
