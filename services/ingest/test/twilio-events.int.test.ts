import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTenantTag } from '@callvault/crypto';
import { upsertProviderAccount, withCompany } from '@callvault/db';
import { deliverTwilioWebhook, encodeForm, signTwilioForm } from '@callvault/simulator';
import { fakeSid, seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, twilioFormFixture } from '@callvault/testing';
import { REFRESH_FLOOR_MS } from '@callvault/events';
import { startIngest, type IngestHarness } from './ingest-harness';

let ingest: IngestHarness;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

async function twilioCompany() {
  const company = await seedCompany(ingest.env);
  const account = await seedTwilioAccount(ingest.env, company.id);
  return { company, account, accountSid: account.external_id, authToken: account.authToken };
}

/** Delivers a callback and waits for its effects, which commit after the reply. */
async function deliver(
  path: string,
  params: Record<string, string>,
  authToken: string,
  tamper?: 'wrong-token' | 'altered-body' | 'no-signature' | 'wrong-url',
) {
  const response = await deliverTwilioWebhook({
    publicBaseUrl: ingest.env.config.PUBLIC_BASE_URL,
    targetBaseUrl: ingest.url,
    path,
    authToken,
    params,
    ...(tamper ? { tamper } : {}),
  });
  await ingest.settled();
  return response;
}

const recordings = (sid: string) => ingest.env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', sid).execute();

describe('Twilio callbacks', () => {
  it('keeps a call moving forward when callbacks arrive out of order (SequenceNumber is not arrival order)', async () => {
    const { accountSid, authToken } = await twilioCompany();
    const callSid = fakeSid('CA');
    const base = { ...twilioFormFixture('call-status-completed'), AccountSid: accountSid, CallSid: callSid };
    expect((await deliver('/webhooks/twilio/call-status', base, authToken)).status).toBe(204);
    expect((await deliver('/webhooks/twilio/call-status', { ...base, CallStatus: 'ringing', SequenceNumber: '1', CallDuration: '' }, authToken)).status).toBe(
      204,
    );
    expect((await deliver('/webhooks/twilio/call-status', { ...base, CallStatus: 'in-progress', SequenceNumber: '2' }, authToken)).status).toBe(204);
    const call = await ingest.env.ownerDb.selectFrom('calls').selectAll().where('twilio_call_sid', '=', callSid).executeTakeFirstOrThrow();
    expect(call).toMatchObject({ status: 'completed', from_number: '+14155550123', to_number: '+13125550187', direction: 'inbound', duration_seconds: 192 });
  });

  it('ignores a late in-progress recording callback after completed, and fetches once', async () => {
    const { accountSid, authToken } = await twilioCompany();
    const params = { ...twilioFormFixture('recording-status-completed'), AccountSid: accountSid, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    expect((await deliver('/webhooks/twilio/recording-status', params, authToken)).status).toBe(204);
    const inProgress: Record<string, string> = { ...params, RecordingStatus: 'in-progress' };
    delete inProgress.RecordingDuration;
    expect((await deliver('/webhooks/twilio/recording-status', inProgress, authToken)).status).toBe(204);
    const rows = await recordings(params.RecordingSid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', duration_seconds: 187 });
    expect(await ingest.producer.queue('recording-fetch').getJobCounts('waiting', 'delayed', 'active')).toMatchObject({ waiting: expect.any(Number) });
    const jobs = await ingest.producer.queue('recording-fetch').getJobs(['waiting']);
    expect(jobs.filter((job) => job.data.recordingId === rows[0]!.id)).toHaveLength(1);
  });

  it("stores Twilio's transcription redacted with cards, SSNs and the company's own patterns, never another company's", async () => {
    const { company, accountSid, authToken } = await twilioCompany();
    const other = await seedCompany(ingest.env);
    await ingest.env.ownerDb
      .insertInto('redaction_patterns')
      .values([
        { company_id: company.id, name: 'mrn', source: 'MRN[- ]?\\d{6}', placeholder: '[REDACTED MRN]', position: 0 },
        { company_id: other.id, name: 'day', source: 'Friday', placeholder: '[REDACTED DAY]', position: 0 },
      ])
      .execute();
    const recordingSid = fakeSid('RE');
    const params = {
      ...twilioFormFixture('transcription-completed'),
      AccountSid: accountSid,
      CallSid: fakeSid('CA'),
      RecordingSid: recordingSid,
      TranscriptionText: 'Hi this is Jordan, chart MRN 123456, social 123-45-6789, see you Friday.',
    };
    expect((await deliver('/webhooks/twilio/transcription', params, authToken)).status).toBe(204);

    const stored = await ingest.env.ownerDb
      .selectFrom('provider_transcripts')
      .select('text')
      .where('company_id', '=', company.id)
      .where('provider_recording_id', '=', recordingSid)
      .executeTakeFirstOrThrow();
    expect(stored.text).toBe('Hi this is Jordan, chart [REDACTED MRN], social [REDACTED SSN], see you Friday.');
  });

  it('records an absent recording with an operator-readable reason and enqueues nothing', async () => {
    const { accountSid, authToken } = await twilioCompany();
    const params = { ...twilioFormFixture('recording-status-absent'), AccountSid: accountSid, RecordingSid: fakeSid('RE') };
    expect((await deliver('/webhooks/twilio/recording-status', params, authToken)).status).toBe(204);
    const [row] = await recordings(params.RecordingSid);
    expect(row).toMatchObject({ status: 'absent', status_reason: expect.stringContaining('16101') });
    expect(await ingest.producer.queue('recording-fetch').getJob(`fetch-${row!.id}`)).toBeUndefined();
  });

  it('resolves the owner from the phone-number registry (To) and from our signed tag on the callback URL', async () => {
    const { company, accountSid, authToken } = await twilioCompany();
    const [byNumber, byTag] = [await seedUser(ingest.env, company.id, 'agent'), await seedUser(ingest.env, company.id, 'agent')];
    const e164 = `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    await seedPhoneNumber(ingest.env, company.id, { e164, matchOn: 'to', ownerUserId: byNumber.id });
    const numbered = { ...twilioFormFixture('call-status-completed'), AccountSid: accountSid, CallSid: fakeSid('CA'), To: e164 };
    expect((await deliver('/webhooks/twilio/call-status', numbered, authToken)).status).toBe(204);

    const tag = signTenantTag(ingest.env.config.TAG_SIGNING_KEY!, { companyId: company.id, ownerUserId: byTag.id, expiresAt: new Date(Date.now() + 3600_000) });
    const tagged = { ...twilioFormFixture('recording-status-completed'), AccountSid: accountSid, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    expect((await deliver(`/webhooks/twilio/recording-status?cv=${encodeURIComponent(tag)}`, tagged, authToken)).status).toBe(204);

    const altered = { ...tagged, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    const badTag = tag.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect((await deliver(`/webhooks/twilio/recording-status?cv=${encodeURIComponent(badTag)}`, altered, authToken)).status).toBe(204);

    const owners = await ingest.env.ownerDb.selectFrom('calls').select(['twilio_call_sid', 'owner_user_id']).where('company_id', '=', company.id).execute();
    const ownerOf = (sid: string) => owners.find((row) => row.twilio_call_sid === sid)?.owner_user_id;
    expect(ownerOf(numbered.CallSid)).toBe(byNumber.id);
    expect(ownerOf(tagged.CallSid)).toBe(byTag.id);
    expect(ownerOf(altered.CallSid)).toBeNull();
    const metrics = await ingest.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/callvault_tenant_tags_rejected_total\{provider="twilio",service="ingest"\} [1-9]/);
  });

  it('never accepts another company’s tag on this account’s callbacks', async () => {
    const mine = await twilioCompany();
    const other = await seedCompany(ingest.env);
    const tag = signTenantTag(ingest.env.config.TAG_SIGNING_KEY!, { companyId: other.id, ownerUserId: null, expiresAt: new Date(Date.now() + 3600_000) });
    const params = { ...twilioFormFixture('recording-status-completed'), AccountSid: mine.accountSid, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') };
    expect((await deliver(`/webhooks/twilio/recording-status?cv=${encodeURIComponent(tag)}`, params, mine.authToken)).status).toBe(204);
    const [row] = await recordings(params.RecordingSid);
    expect(row!.company_id).toBe(mine.company.id);
  });

  it('refuses wrong tokens, altered fields, a different URL, missing signatures and unknown accounts with 403, storing nothing', async () => {
    const { accountSid, authToken } = await twilioCompany();
    const params = { ...twilioFormFixture('recording-status-completed'), AccountSid: accountSid, RecordingSid: fakeSid('RE') };
    const statuses = [];
    for (const tamper of ['wrong-token', 'altered-body', 'no-signature', 'wrong-url'] as const) {
      statuses.push((await deliver('/webhooks/twilio/recording-status', params, authToken, tamper)).status);
    }
    statuses.push((await deliver('/webhooks/twilio/recording-status', { ...params, AccountSid: `AC${'0'.repeat(32)}` }, authToken)).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    expect(await ingest.env.ownerDb.selectFrom('webhook_events').select('id').where('external_account_id', '=', accountSid).execute()).toHaveLength(0);
  });

  it('answers 400 with the reason for an authentic but malformed callback and keeps it as rejected', async () => {
    const { accountSid, authToken } = await twilioCompany();
    const params = { ...twilioFormFixture('recording-status-completed'), AccountSid: accountSid, RecordingSid: 'RE-not-a-sid' };
    const response = await deliver('/webhooks/twilio/recording-status', params, authToken);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400, code: 'malformed_event', detail: expect.stringContaining('RecordingSid') });
    const [event] = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', '=', accountSid).execute();
    expect(event).toMatchObject({ status: 'rejected', reason: expect.stringContaining('RecordingSid') });
  });

  it('answers 415 to a wrong content type and 413 to a body over 64 KiB', async () => {
    const signed = { 'x-twilio-signature': 'c2lnbmF0dXJl' };
    const json = await fetch(`${ingest.url}/webhooks/twilio/recording-status`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const text = await fetch(`${ingest.url}/webhooks/twilio/recording-status`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(text.status).toBe(415);
    const big = await fetch(`${ingest.url}/webhooks/twilio/recording-status`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/x-www-form-urlencoded' },
      body: `a=${'x'.repeat(65 * 1024)}`,
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('honours a rotated auth token within a second, without a restart', async () => {
    const { company, accountSid, authToken } = await twilioCompany();
    const params = () => ({ ...twilioFormFixture('recording-status-completed'), AccountSid: accountSid, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE') });
    expect((await deliver('/webhooks/twilio/recording-status', params(), authToken)).status).toBe(204);
    await withCompany(ingest.env.db, company.id, (tx) =>
      upsertProviderAccount(tx, ingest.env.box, { provider: 'twilio', externalId: accountSid, secrets: { authToken: 'rotated-token-value' } }),
    );
    // A failed check re-reads the account's credentials at most once per REFRESH_FLOOR_MS (flood protection).
    await new Promise((resolve) => setTimeout(resolve, REFRESH_FLOOR_MS));
    expect((await deliver('/webhooks/twilio/recording-status', params(), 'rotated-token-value')).status).toBe(204);
    expect((await deliver('/webhooks/twilio/recording-status', params(), authToken)).status).toBe(403);
  });

  it('signs over PUBLIC_BASE_URL, not the Host header', async () => {
    const { accountSid, authToken } = await twilioCompany();
    const params = { ...twilioFormFixture('recording-status-completed'), AccountSid: accountSid, RecordingSid: fakeSid('RE') };
    const signature = signTwilioForm(authToken, `http://evil.example.com/webhooks/twilio/recording-status`, params);
    const response = await ingest.app.inject({
      method: 'POST',
      url: '/webhooks/twilio/recording-status',
      headers: {
        host: 'evil.example.com',
        'x-forwarded-host': 'evil.example.com',
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      },
      payload: encodeForm(params),
    });
    expect(response.statusCode).toBe(403);
  });
});
