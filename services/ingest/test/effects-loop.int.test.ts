import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectsLoop } from '@callvault/events';
import type { Producer } from '@callvault/queue';
import { encodeForm, signTwilioForm } from '@callvault/simulator';
import { fakeSid, seedCompany, seedTwilioAccount, seedUser, type TestEnvironment, twilioFormFixture, waitFor } from '@callvault/testing';
import { metricSample, startIngest, type IngestHarness } from './ingest-harness';

/**
 * The one path by which stored events take effect. Intake group-commits the event rows of a
 * burst; the effects loop claims them, applies them set-based and marks them in one commit, with
 * the jobs in the outbox. Each event takes effect once, exactly as if delivered alone (duplicates
 * in one batch, two recordings of one call, two companies), whoever claims it (after a crash, on
 * another replica), and a failing event backs off without holding anyone else back.
 */
const FIXTURE = twilioFormFixture('recording-status-completed');
const CALL_COMPLETED = twilioFormFixture('call-status-completed');
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

function post(params: Record<string, string>, authToken: string, path = PATH, target: FastifyInstance = app) {
  const signature = signTwilioForm(authToken, `${env.config.PUBLIC_BASE_URL}${path}`, params);
  return target.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: encodeForm(params),
  });
}

const eventsOf = (accountSid: string) => env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', '=', accountSid).execute();
const callsOf = (companyId: string) =>
  env.ownerDb.selectFrom('calls').select(['twilio_call_sid', 'owner_user_id']).where('company_id', '=', companyId).execute();

/**
 * Runs `work` with a second ingest whose effects loop never runs, and this file's loop paused:
 * what the test posts to `parked` waits for the loops the test itself starts.
 */
async function withEffectsParked(work: (parked: IngestHarness) => Promise<void>): Promise<void> {
  const parked = await startIngest({ env });
  await parked.deps.effects.stop();
  await ingest.deps.effects.stop();
  try {
    await work(parked);
  } finally {
    await parked.close();
    ingest.deps.effects.start();
  }
}

describe('a burst of concurrent webhooks', () => {
  it('commits in shared transactions with exactly the effects of one-by-one delivery', async () => {
    const companyA = await seedCompany(env);
    const companyB = await seedCompany(env);
    const accountA = await seedTwilioAccount(env, companyA.id);
    const accountB = await seedTwilioAccount(env, companyB.id);
    const callback = (account: typeof accountA, overrides: Record<string, string> = {}): Record<string, string> => ({
      ...FIXTURE,
      AccountSid: account.external_id,
      CallSid: fakeSid('CA'),
      RecordingSid: fakeSid('RE'),
      ...overrides,
    });

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
    const events = await env.ownerDb
      .selectFrom('webhook_events')
      .selectAll()
      .where('external_account_id', 'in', [accountA.external_id, accountB.external_id])
      .execute();
    expect(events).toHaveLength(distinct.size);
    for (const event of events) {
      const params = event.payload as Record<string, string>;
      expect(event.company_id).toBe(params.AccountSid === accountA.external_id ? companyA.id : companyB.id);
      expect(event.applied_at).not.toBeNull();
    }

    const recordings = await env.ownerDb
      .selectFrom('recordings')
      .selectAll()
      .where('provider_recording_id', 'in', [...distinct.keys()])
      .execute();
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
    // ...and so were their effects, claimed by the loop after the replies...
    const effectBatches = metricSample(metrics, 'callvault_event_effects_batch_size_count');
    expect(metricSample(metrics, 'callvault_event_effects_applied_total')).toBe(distinct.size);
    expect(effectBatches).toBeLessThan(distinct.size / 2);
    // ...without a failure or a fallback (repeats and shared calls are planned for), and every job left the outbox.
    expect(metricSample(metrics, 'callvault_event_commit_fallbacks_total')).toBe(0);
    expect(metricSample(metrics, 'callvault_event_effects_failures_total')).toBe(0);
    expect(await env.ownerDb.selectFrom('job_outbox').select('id').execute()).toEqual([]);
  });
});

describe('a burst of call-status callbacks', () => {
  it('applies them set-based with the effects of one-by-one delivery: status forward only, legs merged, numbers onto recordings, carried recordings', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const status = (callSid: string, overrides: Record<string, string>): Record<string, string> => ({
      ...CALL_COMPLETED,
      AccountSid: account.external_id,
      CallSid: callSid,
      ...overrides,
    });
    const [plain, twoLegs, recorded, carrying] = [fakeSid('CA'), fakeSid('CA'), fakeSid('CA'), fakeSid('CA')];
    const carriedSid = fakeSid('RE');
    // The recording of `recorded` arrives first; the call's numbers reach it from the call-status events.
    expect((await post({ ...FIXTURE, AccountSid: account.external_id, CallSid: recorded, RecordingSid: fakeSid('RE') }, account.authToken)).statusCode).toBe(
      204,
    );
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
      status(carrying, {
        CallStatus: 'completed',
        RecordingSid: carriedSid,
        RecordingUrl: `${env.config.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${account.external_id}/Recordings/${carriedSid}`,
        RecordingDuration: '42',
      }),
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
    const events = await env.ownerDb
      .selectFrom('webhook_events')
      .select(['applied_at', 'call_ref'])
      .where('external_account_id', '=', account.external_id)
      .where('event_type', '=', 'call-status')
      .execute();
    expect(events).toHaveLength(deliveries.length);
    expect(events.filter((event) => event.applied_at === null)).toEqual([]);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricSample(metrics, 'callvault_event_effects_failures_total')).toBe(0);
  });
});

describe('an event whose effects fail', () => {
  it('backs off with its reason on the row while its neighbours are applied, and is applied once the cause is gone', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const stranger = await seedUser(env, (await seedCompany(env)).id, 'agent');
    const calls = Array.from({ length: 5 }, () => fakeSid('CA'));
    for (const callSid of calls)
      expect((await post({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: callSid }, account.authToken, CALL_PATH)).statusCode).toBe(204);
    await ingest.settled();
    // An event stored with an owner of another company (as a bug might store it): its call cannot be written.
    const poisoned = fakeSid('CA');
    expect((await post({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: poisoned }, account.authToken, CALL_PATH)).statusCode).toBe(204);
    // Between the reply and the effects: the row says the owner is the stranger.
    await env.ownerDb.updateTable('webhook_events').set({ owner_user_id: stranger.id, applied_at: null }).where('call_ref', '=', poisoned).execute();
    await env.ownerDb.deleteFrom('calls').where('twilio_call_sid', '=', poisoned).execute();
    const neighbours = Array.from({ length: 3 }, () => fakeSid('CA'));
    for (const callSid of neighbours)
      expect((await post({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: callSid }, account.authToken, CALL_PATH)).statusCode).toBe(204);
    await ingest.settled();

    const byCall = new Map((await eventsOf(account.external_id)).map((event) => [event.call_ref, event]));
    expect(byCall.get(poisoned)).toMatchObject({ applied_at: null, effects_attempts: 1, effects_error: expect.stringContaining('foreign key') });
    expect(byCall.get(poisoned)!.effects_retry_at).not.toBeNull();
    for (const callSid of [...calls, ...neighbours]) expect(byCall.get(callSid)!.applied_at).not.toBeNull();
    expect((await callsOf(company.id)).map((call) => call.twilio_call_sid).sort()).toEqual([...calls, ...neighbours].sort());
    expect(metricSample((await app.inject({ method: 'GET', url: '/metrics' })).body, 'callvault_event_effects_failures_total')).toBeGreaterThanOrEqual(1);

    // Fixed, and due: the loop applies it, once.
    await env.ownerDb.updateTable('webhook_events').set({ owner_user_id: null, effects_retry_at: new Date() }).where('call_ref', '=', poisoned).execute();
    await ingest.settled();
    expect((await eventsOf(account.external_id)).find((event) => event.call_ref === poisoned)).toMatchObject({
      applied_at: expect.any(Date),
      effects_error: null,
    });
    expect((await callsOf(company.id)).filter((call) => call.twilio_call_sid === poisoned)).toHaveLength(1);
  });
});

describe('a failed batch in a backlog', () => {
  it.each([1, 2])('is retried event by event from its first event, so settled() leaves only the failing one (%i lanes)', async (lanes) => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const stranger = await seedUser(env, (await seedCompany(env)).id, 'agent');
    await ingest.deps.effects.stop();
    const calls = Array.from({ length: 40 }, () => fakeSid('CA'));
    try {
      for (const callSid of calls)
        expect((await post({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: callSid }, account.authToken, CALL_PATH)).statusCode).toBe(204);
      // The second oldest cannot be written (an owner of another company), so the first batch fails whole.
      const poisoned = calls[1]!;
      await env.ownerDb.updateTable('webhook_events').set({ owner_user_id: stranger.id }).where('call_ref', '=', poisoned).execute();
      const loop = createEffectsLoop({ db: env.db, log: env.log, batchSize: 5, idleMs: 60_000, lanes });
      await loop.settled();
      await loop.stop();
      const unapplied = (await eventsOf(account.external_id)).filter((event) => event.applied_at === null);
      expect(unapplied.map((event) => ({ call: event.call_ref, attempts: event.effects_attempts }))).toEqual([{ call: poisoned, attempts: 1 }]);
      // Out of the way of the tests after this one, whose loop would retry it.
      await env.ownerDb.updateTable('webhook_events').set({ applied_at: new Date() }).where('call_ref', '=', poisoned).execute();
    } finally {
      ingest.deps.effects.start();
    }
  });
});

describe('events acknowledged by a process that stopped before their effects', () => {
  it('are applied from the event store by the next pass of any loop, once', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    // A second ingest whose loop never runs: its replies happen, its effects do not (a crash right after the reply).
    // The surviving process's loop is paused meanwhile, or its idle poll could apply them before we look.
    await ingest.deps.effects.stop();
    const crashed = await startIngest({ env });
    await crashed.deps.effects.stop();
    const sids = Array.from({ length: 8 }, () => fakeSid('CA'));
    for (const callSid of sids)
      expect((await post({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: callSid }, account.authToken, CALL_PATH, crashed.app)).statusCode).toBe(
        204,
      );
    await crashed.close();
    expect(await callsOf(company.id)).toEqual([]);
    expect((await eventsOf(account.external_id)).every((event) => event.applied_at === null)).toBe(true);

    // The surviving process's loop (its idle poll, or a wake) finds and applies them.
    ingest.deps.effects.start();
    await ingest.settled();
    expect((await callsOf(company.id)).map((call) => call.twilio_call_sid).sort()).toEqual([...sids].sort());
    await ingest.settled();
    expect(await callsOf(company.id)).toHaveLength(sids.length);
  });
});

describe('two replicas claiming at once', () => {
  it('apply each event once: claims skip what the other holds', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    const sids = Array.from({ length: 120 }, () => fakeSid('CA'));
    await withEffectsParked(async (parked) => {
      const responses = await Promise.all(
        sids.map((callSid) => post({ ...CALL_COMPLETED, AccountSid: account.external_id, CallSid: callSid }, account.authToken, CALL_PATH, parked.app)),
      );
      expect(new Set(responses.map((response) => response.statusCode))).toEqual(new Set([204]));
      // Two loops, small batches, racing over the same 120 events.
      const loops = [0, 1].map(() => createEffectsLoop({ db: env.db, log: env.log, batchSize: 10, idleMs: 60_000 }));
      await Promise.all(loops.map((loop) => loop.settled()));
      await Promise.all(loops.map((loop) => loop.stop()));
      expect((await callsOf(company.id)).map((call) => call.twilio_call_sid).sort()).toEqual([...sids].sort());
      expect((await eventsOf(account.external_id)).filter((event) => event.applied_at === null)).toEqual([]);
    });
  });
});

describe("one process's lanes", () => {
  it('overlap: a batch waiting on a locked call does not hold back the batches of other calls, and no event applies twice', async () => {
    const company = await seedCompany(env);
    const account = await seedTwilioAccount(env, company.id);
    // Batches of 6 hold two whole calls (3 events each, delivered one after the other): a lane
    // waits for another only on a call they share, and here they share none.
    await withEffectsParked(async (parked) => {
      const loop = createEffectsLoop({ db: env.db, log: env.log, batchSize: 6, idleMs: 60_000, lanes: 2 });
      const deliver = async (params: Record<string, string>, path: string) =>
        expect((await post({ ...params, AccountSid: account.external_id }, account.authToken, path, parked.app)).statusCode).toBe(204);
      const recordingOf = (callSid: string) => deliver({ ...FIXTURE, CallSid: callSid, RecordingSid: fakeSid('RE') }, PATH);
      const lockedCall = fakeSid('CA');
      const calls = Array.from({ length: 20 }, () => fakeSid('CA'));
      let release: () => void = () => {};
      try {
        await deliver({ ...CALL_COMPLETED, CallSid: lockedCall }, CALL_PATH);
        await loop.settled();
        // The oldest batch needs the locked call; the next ones, calls of their own.
        for (let index = 0; index < 3; index += 1) await recordingOf(lockedCall);
        for (const callSid of calls) {
          await deliver({ ...CALL_COMPLETED, CallSid: callSid }, CALL_PATH);
          await recordingOf(callSid);
          await recordingOf(callSid);
        }
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let lockTaken: () => void = () => {};
        const locked = new Promise<void>((resolve) => {
          lockTaken = resolve;
        });
        const lock = env.ownerDb.transaction().execute(async (trx) => {
          await sql`SELECT id FROM calls WHERE company_id = ${company.id} AND twilio_call_sid = ${lockedCall} FOR UPDATE`.execute(trx);
          lockTaken();
          await held;
        });
        await locked;
        // Two intake commits' wakes: the first starts a lane, the second (that lane busy) the other.
        loop.wake();
        loop.wake();
        const unapplied = async () => (await eventsOf(account.external_id)).filter((event) => event.applied_at === null).length;
        // One lane would wait with the rest behind it; the other lane applies everything but the waiting batch.
        await waitFor(async () => ((await unapplied()) === 6 ? true : undefined), { timeoutMs: 10_000, what: 'the other lane to apply the rest' });
        release();
        await lock;
        await loop.settled();
        expect((await callsOf(company.id)).map((call) => call.twilio_call_sid).sort()).toEqual([lockedCall, ...calls].sort());
        const recordings = await env.ownerDb.selectFrom('recordings').select('id').where('company_id', '=', company.id).execute();
        expect(recordings).toHaveLength(3 + calls.length * 2);
        const events = await eventsOf(account.external_id);
        expect(events).toHaveLength(1 + 3 + calls.length * 3);
        expect(events.filter((event) => event.applied_at === null || event.effects_attempts > 0)).toEqual([]);
      } finally {
        release();
        await loop.stop();
      }
    });
  });
});
