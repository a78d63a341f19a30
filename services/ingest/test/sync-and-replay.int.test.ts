import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '@callvault/queue';
import { startSimulator, deliverTwilioWebhook, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, fakeSid, seedCompany, seedPhoneNumber, seedTwilioAccount, type TestEnvironment, twilioFormFixture } from '@callvault/testing';
import { BACKFILL_PRIORITY, processProviderSync, replayWebhookEvent } from '@callvault/events';
import { eventsDepsOf, startIngest, type IngestHarness } from './ingest-harness';

const callCompleted = twilioFormFixture('call-status-completed');

let sim: Simulator;
let env: TestEnvironment;
let ingest: IngestHarness;
beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl });
  ingest = await startIngest({ env });
});
afterAll(async () => {
  await ingest?.close();
  await env?.close();
  await sim?.close();
});

const context = (): JobContext => ({
  job: { attemptsMade: 0, opts: { attempts: 1 } } as JobContext['job'],
  log: env.log,
  signal: new AbortController().signal,
});

describe('reconciliation sync', () => {
  it('feeds recordings whose webhook never came through the same intake, in the backfill lane, once', async () => {
    const account = sim.state.addAccount();
    const company = await seedCompany(env);
    await seedTwilioAccount(env, company.id, { accountSid: account.accountSid, authToken: account.authToken });
    const recordings = [0, 1, 2].map(() => sim.state.addRecording(account.accountSid, { durationSeconds: 15 }));
    const delivered = await deliverTwilioWebhook({
      publicBaseUrl: env.config.PUBLIC_BASE_URL,
      targetBaseUrl: ingest.url,
      path: '/webhooks/twilio/recording-status',
      authToken: account.authToken,
      params: sim.recordingCompletedParams(recordings[0]!),
    });
    expect(delivered.status).toBe(204);
    await ingest.settled();

    const deps = eventsDepsOf(ingest);
    const payload = { companyId: company.id, requestedAt: new Date().toISOString() };
    expect(await processProviderSync(deps, payload, context())).toEqual({ listed: 3, accepted: 2, duplicates: 1, quarantined: 0, rejected: 0 });
    expect(await processProviderSync(deps, payload, context())).toEqual({ listed: 3, accepted: 0, duplicates: 3, quarantined: 0, rejected: 0 });
    // Stored like webhooks: the effects loop applies them (the sync process wakes no loop: its poll finds them).
    await ingest.settled();

    const rows = await env.ownerDb.selectFrom('recordings').select(['id', 'provider_recording_id', 'status']).where('company_id', '=', company.id).execute();
    expect(rows.map((row) => row.provider_recording_id).sort()).toEqual(recordings.map((recording) => recording.sid).sort());
    const jobs = await Promise.all(rows.map((row) => ingest.producer.queue('recording-fetch').getJob(`fetch-${row.id}`)));
    const priorityOf = (sid: string) => jobs.find((job) => job?.data.recordingId === rows.find((row) => row.provider_recording_id === sid)?.id)?.opts.priority;
    expect(priorityOf(recordings[0]!.sid)).toBeUndefined();
    expect(priorityOf(recordings[1]!.sid)).toBe(BACKFILL_PRIORITY);
    expect(priorityOf(recordings[2]!.sid)).toBe(BACKFILL_PRIORITY);
    const account_ = await env.ownerDb.selectFrom('provider_accounts').select('last_synced_at').where('company_id', '=', company.id).executeTakeFirstOrThrow();
    expect(account_.last_synced_at).not.toBeNull();
  });
});

describe('replay of quarantined events', () => {
  it('applies a quarantined event once the missing number is registered, and only once', async () => {
    const account = sim.state.addAccount();
    const [first, second] = [await seedCompany(env), await seedCompany(env)];
    for (const company of [first, second])
      await seedTwilioAccount(env, company.id, { accountSid: account.accountSid, authToken: account.authToken, shared: true });
    const to = `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const params = { ...callCompleted, AccountSid: account.accountSid, CallSid: fakeSid('CA'), To: to };
    const response = await deliverTwilioWebhook({
      publicBaseUrl: env.config.PUBLIC_BASE_URL,
      targetBaseUrl: ingest.url,
      path: '/webhooks/twilio/call-status',
      authToken: account.authToken,
      params,
    });
    expect(response.status).toBe(202);
    const event = await env.ownerDb.selectFrom('webhook_events').selectAll().where('call_ref', '=', params.CallSid).executeTakeFirstOrThrow();
    expect(event.status).toBe('quarantined');

    const deps = eventsDepsOf(ingest);
    expect(await replayWebhookEvent(deps, event.id)).toBe('still_quarantined');
    await seedPhoneNumber(env, second.id, { e164: to, matchOn: 'to' });
    expect(await replayWebhookEvent(deps, event.id)).toBe('accepted');
    expect(await replayWebhookEvent(deps, event.id)).toBe('not_quarantined');
    // Accepted, its effects come through the one loop like any event's.
    await ingest.settled();

    const calls = await env.ownerDb.selectFrom('calls').select(['company_id', 'status']).where('twilio_call_sid', '=', params.CallSid).execute();
    expect(calls).toEqual([{ company_id: second.id, status: 'completed' }]);
    const replayed = await env.ownerDb.selectFrom('webhook_events').select(['status', 'company_id']).where('id', '=', event.id).executeTakeFirstOrThrow();
    expect(replayed).toEqual({ status: 'accepted', company_id: second.id });
  });
});
