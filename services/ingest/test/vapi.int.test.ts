import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTenantTag, verifyTenantTag } from '@callvault/crypto';
import { deliverVapiWebhook, type VapiCredential } from '@callvault/simulator';
import { seedCompany, seedPhoneNumber, seedUser, seedVapiAccount } from '@callvault/testing';
import { startIngest, type IngestHarness } from './ingest-harness';

const REPORT = JSON.parse(readFileSync(new URL('../../../packages/testing/fixtures/vapi/end-of-call-report.json', import.meta.url), 'utf8'));
const STATUS = JSON.parse(readFileSync(new URL('../../../packages/testing/fixtures/vapi/status-update.json', import.meta.url), 'utf8'));

let ingest: IngestHarness;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

/** A fixture message rewritten for a fresh call of the given org. */
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON, edited freely by the tests.
function message(fixture: { message: Record<string, any> }, orgId: string, callId: string, changes: Record<string, unknown> = {}) {
  const copy = structuredClone(fixture);
  copy.message.call = {
    ...copy.message.call,
    orgId,
    id: callId,
    transport: { ...copy.message.call.transport, callSid: `CA${randomUUID().replace(/-/g, '')}` },
  };
  Object.assign(copy.message, changes);
  return copy;
}

/** Delivers a message and waits for its effects, which commit after the reply. */
async function send(body: unknown, credential: VapiCredential, alterAfterSigning = false) {
  const response = await deliverVapiWebhook({ url: `${ingest.url}/webhooks/vapi`, body, credential, alterAfterSigning });
  await ingest.settled();
  return response;
}

async function vapiCompany(secrets: { webhookSecret?: string; webhookHmacKey?: string } = { webhookSecret: 'shh-secret' }) {
  const company = await seedCompany(ingest.env);
  const account = await seedVapiAccount(ingest.env, company.id, secrets);
  return { company, orgId: account.orgId };
}

describe('POST /webhooks/vapi', () => {
  it('stores an end-of-call-report once: the call ended with its cost and summary, one recording, one fetch job', async () => {
    const { company, orgId } = await vapiCompany();
    const callId = randomUUID();
    const body = message(REPORT, orgId, callId);
    expect((await send(body, { kind: 'secret', secret: 'shh-secret' })).status).toBe(204);
    expect((await send(body, { kind: 'bearer', secret: 'shh-secret' })).status).toBe(204);

    const call = await ingest.env.ownerDb.selectFrom('calls').selectAll().where('vapi_call_id', '=', callId).executeTakeFirstOrThrow();
    expect(call).toMatchObject({
      company_id: company.id,
      status: 'ended',
      ended_reason: 'customer-ended-call',
      cost: 0.0393,
      duration_seconds: 26,
      success_evaluation: 'true',
    });
    expect(call.summary).toContain('rebooked for Friday');
    expect(call.twilio_call_sid).toBe(body.message.call.transport.callSid);
    const recordings = await ingest.env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', callId).execute();
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ provider: 'vapi', status: 'pending', channels: 2 });
    expect(await ingest.producer.queue('recording-fetch').getJob(`fetch-${recordings[0]!.id}`)).toBeDefined();
    expect(await ingest.env.ownerDb.selectFrom('webhook_events').select('id').where('call_ref', '=', callId).execute()).toHaveLength(1);
  });

  it("redacts the summary and VAPI's transcript with cards, SSNs and the company's own patterns before storing, never another company's", async () => {
    const { company, orgId } = await vapiCompany();
    const other = await seedCompany(ingest.env);
    await ingest.env.ownerDb
      .insertInto('redaction_patterns')
      .values([
        { company_id: company.id, name: 'mrn', source: 'MRN-\\d{6}', placeholder: '[REDACTED MRN]', position: 0 },
        // Company B treats the patient's name as sensitive; company A does not, and keeps it.
        { company_id: other.id, name: 'patient', source: 'Jordan', placeholder: '[REDACTED PATIENT]', position: 0 },
      ])
      .execute();
    const callId = randomUUID();
    const body = message(REPORT, orgId, callId, {
      analysis: { summary: 'Jordan gave chart MRN-123456 and card 4111 1111 1111 1111.', successEvaluation: 'confirmed MRN-123456' },
    });
    const spoken = body.message.artifact.messages.find((entry: { role: string }) => entry.role === 'user');
    spoken.message = 'Yes, this is Jordan, my chart is MRN-654321.';
    expect((await send(body, { kind: 'secret', secret: 'shh-secret' })).status).toBe(204);

    const call = await ingest.env.ownerDb.selectFrom('calls').selectAll().where('vapi_call_id', '=', callId).executeTakeFirstOrThrow();
    expect(call.summary).toBe('Jordan gave chart [REDACTED MRN] and card [REDACTED CARD].');
    expect(call.success_evaluation).toBe('confirmed [REDACTED MRN]');
    const transcript = await ingest.env.ownerDb
      .selectFrom('provider_transcripts')
      .selectAll()
      .where('company_id', '=', company.id)
      .where('provider_recording_id', '=', callId)
      .executeTakeFirstOrThrow();
    expect(transcript.text).toContain('Yes, this is Jordan, my chart is [REDACTED MRN].');
    expect(transcript.segments.map((segment) => segment.text)).toContain('Yes, this is Jordan, my chart is [REDACTED MRN].');
    expect(JSON.stringify(transcript)).not.toMatch(/MRN-\d/);
  });

  it('accepts HMAC with seconds or milliseconds and refuses skew, altered bytes, wrong keys and missing credentials', async () => {
    const { orgId } = await vapiCompany({ webhookHmacKey: 'hmac-key-of-the-org' });
    const hmac = (extra: Partial<Extract<VapiCredential, { kind: 'hmac' }>> = {}): VapiCredential => ({ kind: 'hmac', key: 'hmac-key-of-the-org', ...extra });
    expect((await send(message(STATUS, orgId, randomUUID()), hmac({ timestampUnit: 's' }))).status).toBe(204);
    expect((await send(message(STATUS, orgId, randomUUID()), hmac({ timestampUnit: 'ms' }))).status).toBe(204);

    const refused = [
      await send(message(STATUS, orgId, randomUUID()), hmac({ skewMs: -6 * 60 * 1000 })),
      await send(message(STATUS, orgId, randomUUID()), hmac(), true),
      await send(message(STATUS, orgId, randomUUID()), { kind: 'hmac', key: 'another-key' }),
      await send(message(STATUS, orgId, randomUUID()), { kind: 'none' }),
      await send(message(STATUS, orgId, randomUUID()), { kind: 'secret', secret: 'hmac-key-of-the-org' }),
      await send(message(STATUS, randomUUID(), randomUUID()), hmac()),
    ];
    expect(refused.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(JSON.parse(refused[0]!.body)).toMatchObject({ code: 'unauthorized' });
    const stored = await ingest.env.ownerDb.selectFrom('webhook_events').select('id').where('external_account_id', '=', orgId).execute();
    expect(stored).toHaveLength(2);
  });

  it('moves a call forward only: a late in-progress after the report changes nothing', async () => {
    const { orgId } = await vapiCompany();
    const callId = randomUUID();
    const auth: VapiCredential = { kind: 'secret', secret: 'shh-secret' };
    expect((await send(message(REPORT, orgId, callId), auth)).status).toBe(204);
    expect((await send(message(STATUS, orgId, callId), auth)).status).toBe(204);
    const call = await ingest.env.ownerDb.selectFrom('calls').select(['status']).where('vapi_call_id', '=', callId).executeTakeFirstOrThrow();
    expect(call.status).toBe('ended');
  });

  it('owns the call by our signed tag in assistantOverrides.metadata, and ignores a tag altered by one byte', async () => {
    const { company, orgId } = await vapiCompany();
    const agent = await seedUser(ingest.env, company.id, 'agent');
    const tag = signTenantTag(ingest.env.config.TAG_SIGNING_KEY!, { companyId: company.id, ownerUserId: agent.id, expiresAt: new Date(Date.now() + 3600_000) });
    const auth: VapiCredential = { kind: 'secret', secret: 'shh-secret' };
    const tagged = message(REPORT, orgId, randomUUID());
    tagged.message.call.assistantOverrides = { metadata: { callvault: tag } };
    expect((await send(tagged, auth)).status).toBe(204);
    const owned = await ingest.env.ownerDb
      .selectFrom('calls')
      .select('owner_user_id')
      .where('vapi_call_id', '=', tagged.message.call.id)
      .executeTakeFirstOrThrow();
    expect(owned.owner_user_id).toBe(agent.id);

    const altered = message(REPORT, orgId, randomUUID());
    const flipped = tag.slice(0, -1) + (tag.endsWith('A') ? 'B' : 'A');
    expect(verifyTenantTag(ingest.env.config.TAG_SIGNING_KEY!, flipped).ok).toBe(false);
    altered.message.call.assistantOverrides = { metadata: { callvault: flipped } };
    expect((await send(altered, auth)).status).toBe(204);
    const unowned = await ingest.env.ownerDb
      .selectFrom('calls')
      .select(['owner_user_id', 'company_id'])
      .where('vapi_call_id', '=', altered.message.call.id)
      .executeTakeFirstOrThrow();
    expect(unowned).toEqual({ owner_user_id: null, company_id: company.id });
  });

  it('quarantines (202) an event of an org shared by two companies when nothing tells them apart', async () => {
    const orgId = randomUUID();
    for (let index = 0; index < 2; index += 1) {
      const company = await seedCompany(ingest.env);
      await seedVapiAccount(ingest.env, company.id, { orgId, webhookSecret: 'shared-org-secret', shared: true });
    }
    const callId = randomUUID();
    const response = await send(message(REPORT, orgId, callId), { kind: 'secret', secret: 'shared-org-secret' });
    expect(response.status).toBe(202);
    const event = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('call_ref', '=', callId).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ status: 'quarantined', company_id: null });
    // The tenant lookup at the provider was committed with the event and relayed from the outbox.
    await ingest.settled();
    expect((await ingest.producer.queue('tenant-lookup').getJob(`tenant-lookup-${event.id}`))?.data).toEqual({ eventId: event.id });
    expect(event.authenticated_company_ids).toHaveLength(2);
    expect(await ingest.env.ownerDb.selectFrom('calls').select('id').where('vapi_call_id', '=', callId).execute()).toHaveLength(0);
  });

  it('answers assistant-request within 2 s with the number’s assistant and a valid tag, or an error for an unknown number', async () => {
    const { company, orgId } = await vapiCompany();
    const owner = await seedUser(ingest.env, company.id, 'agent');
    const e164 = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    await seedPhoneNumber(ingest.env, company.id, { e164, matchOn: 'to', ownerUserId: owner.id, vapiAssistantId: 'asst_123' });
    const request = (number: string) => ({
      message: {
        type: 'assistant-request',
        timestamp: Date.now(),
        call: { id: randomUUID(), orgId, type: 'inboundPhoneCall' },
        phoneNumber: { number },
        customer: { number: '+15550001111' },
      },
    });
    const started = performance.now();
    const answered = await send(request(e164), { kind: 'secret', secret: 'shh-secret' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(answered.status).toBe(200);
    const body = JSON.parse(answered.body);
    expect(body.assistantId).toBe('asst_123');
    const verified = verifyTenantTag(ingest.env.config.TAG_SIGNING_KEY!, body.assistantOverrides.metadata.callvault);
    expect(verified).toMatchObject({ ok: true, tag: { companyId: company.id, ownerUserId: owner.id } });

    const rejected = await send(request('+15559990000'), { kind: 'secret', secret: 'shh-secret' });
    expect(JSON.parse(rejected.body)).toEqual({ error: 'this number is not registered with callvault' });
  });

  it('acknowledges other message types without storing them, and rejects malformed authentic messages with a reason', async () => {
    const { orgId } = await vapiCompany();
    const auth: VapiCredential = { kind: 'secret', secret: 'shh-secret' };
    const other = { message: { type: 'conversation-update', call: { id: randomUUID(), orgId } } };
    expect((await send(other, auth)).status).toBe(204);
    const broken = message(REPORT, orgId, randomUUID(), { startedAt: 'not a date' });
    const response = await send(broken, auth);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400, code: 'malformed_event', detail: expect.stringContaining('startedAt') });
    const events = await ingest.env.ownerDb.selectFrom('webhook_events').select(['status', 'reason']).where('external_account_id', '=', orgId).execute();
    expect(events).toEqual([{ status: 'rejected', reason: expect.stringContaining('startedAt') }]);
  });

  it('refuses a body that is not JSON (400) and a form body (415)', async () => {
    const credential = { 'x-vapi-secret': 'some-secret' };
    const notJson = await fetch(`${ingest.url}/webhooks/vapi`, {
      method: 'POST',
      headers: { ...credential, 'content-type': 'application/json' },
      body: '{"message":',
    });
    expect(notJson.status).toBe(400);
    const form = await fetch(`${ingest.url}/webhooks/vapi`, {
      method: 'POST',
      headers: { ...credential, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
  });
});
