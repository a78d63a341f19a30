import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTenantTag, verifyTenantTag } from '@callvault/crypto';
import { upsertProviderAccount, withCompany } from '@callvault/db';
import { deliverTwilioWebhook, deliverVapiWebhook } from '@callvault/simulator';
import {
  fakeSid,
  fakeTwilioAccountSid,
  seedCompany,
  seedPhoneNumber,
  seedTwilioAccount,
  seedUser,
  seedVapiAccount,
  twilioFormFixture,
} from '@callvault/testing';
import { replayWebhookEvent } from '@callvault/events';
import { eventsDepsOf, startIngest, type IngestHarness } from './ingest-harness';

const FIXTURES = new URL('../../../packages/testing/fixtures/', import.meta.url);
const callCompleted = twilioFormFixture('call-status-completed');
const recordingCompleted = twilioFormFixture('recording-status-completed');
const number = () => `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

let ingest: IngestHarness;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

/**
 * A registration from before ownership was proven: a hostile company admin's claim on another
 * company's account with a secret it made up. Ingest must give it no say over the real owner's
 * events, and nothing it signs may reach the real owner.
 */
async function legacyClaim(companyId: string, provider: 'twilio' | 'vapi', externalId: string, secrets: Record<string, string>) {
  await withCompany(ingest.env.db, companyId, (tx) => upsertProviderAccount(tx, ingest.env.box, { provider, externalId, secrets }));
}

async function deliver(path: string, authToken: string, params: Record<string, string>, query = '') {
  const response = await deliverTwilioWebhook({
    publicBaseUrl: ingest.env.config.PUBLIC_BASE_URL,
    targetBaseUrl: ingest.url,
    path: `${path}${query}`,
    authToken,
    params,
  });
  await ingest.settled();
  return response;
}

const callsOf = (callSid: string) =>
  ingest.env.ownerDb.selectFrom('calls').select(['company_id', 'owner_user_id']).where('twilio_call_sid', '=', callSid).execute();

describe("a hostile company admin registers another company's Twilio account with a made-up token", () => {
  it("cannot receive the victim's genuine callbacks, plant calls in the victim, or push the victim's events into quarantine", async () => {
    const victim = await seedCompany(ingest.env);
    const agent = await seedUser(ingest.env, victim.id, 'agent');
    const account = await seedTwilioAccount(ingest.env, victim.id);
    const line = number();
    await seedPhoneNumber(ingest.env, victim.id, { e164: line, matchOn: 'to', ownerUserId: agent.id });

    const attacker = await seedCompany(ingest.env);
    const attackerAgent = await seedUser(ingest.env, attacker.id, 'agent');
    const madeUp = randomBytes(16).toString('hex');
    await legacyClaim(attacker.id, 'twilio', account.external_id, { authToken: madeUp });
    // The attacker claims the victim's line and one of the victim's callers as calling numbers.
    const caller = number();
    await seedPhoneNumber(ingest.env, attacker.id, { e164: line, matchOn: 'from', ownerUserId: attackerAgent.id });
    await seedPhoneNumber(ingest.env, attacker.id, { e164: caller, matchOn: 'from', ownerUserId: attackerAgent.id });

    // 1. The victim's genuine callback, from the claimed caller to the victim's line: the victim's, owned by its agent.
    const genuine = { ...callCompleted, AccountSid: account.external_id, CallSid: fakeSid('CA'), From: caller, To: line };
    expect((await deliver('/webhooks/twilio/call-status', account.authToken, genuine)).status).toBe(204);
    expect(await callsOf(genuine.CallSid)).toEqual([{ company_id: victim.id, owner_user_id: agent.id }]);

    // 2. A genuine event for a number nobody registered: still the victim's (it alone holds the account), not quarantined.
    const unregistered = { ...callCompleted, AccountSid: account.external_id, CallSid: fakeSid('CA'), From: number(), To: number() };
    expect((await deliver('/webhooks/twilio/call-status', account.authToken, unregistered)).status).toBe(204);
    expect(await callsOf(unregistered.CallSid)).toEqual([{ company_id: victim.id, owner_user_id: null }]);

    // 3. The attacker signs with its made-up token, naming the victim's line, with a genuine tag of the victim's.
    const tag = signTenantTag(ingest.env.config.TAG_SIGNING_KEY!, { companyId: victim.id, ownerUserId: agent.id, expiresAt: new Date(Date.now() + 3_600_000) });
    const planted = { ...callCompleted, AccountSid: account.external_id, CallSid: fakeSid('CA'), From: number(), To: line };
    expect((await deliver('/webhooks/twilio/call-status', madeUp, planted, `?cv=${encodeURIComponent(tag)}`)).status).toBe(204);
    const plantedCalls = await callsOf(planted.CallSid);
    expect(plantedCalls.map((call) => call.company_id)).toEqual([attacker.id]);
    // Only the attacker's registration authenticated it; the victim is not even a candidate.
    const plantedEvent = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('call_ref', '=', planted.CallSid).executeTakeFirstOrThrow();
    expect(plantedEvent.authenticated_company_ids).toEqual([attacker.id]);
    const genuineEvent = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('call_ref', '=', genuine.CallSid).executeTakeFirstOrThrow();
    expect(genuineEvent.authenticated_company_ids).toEqual([victim.id]);

    // 4. A recording of the victim's call signed by the attacker joins nothing of the victim's.
    const recording = { ...recordingCompleted, AccountSid: account.external_id, CallSid: genuine.CallSid, RecordingSid: fakeSid('RE') };
    expect((await deliver('/webhooks/twilio/recording-status', madeUp, recording)).status).toBe(204);
    const recordings = await ingest.env.ownerDb
      .selectFrom('recordings')
      .select('company_id')
      .where('provider_recording_id', '=', recording.RecordingSid)
      .execute();
    expect(recordings.map((row) => row.company_id)).toEqual([attacker.id]);
    expect(await callsOf(genuine.CallSid)).toContainEqual({ company_id: victim.id, owner_user_id: agent.id });
  });
});

describe("a hostile company admin registers another company's VAPI org with a made-up secret", () => {
  it("gets no assistant and no tag of the victim's at assistant-request, and cannot plant reports in the victim", async () => {
    const victim = await seedCompany(ingest.env);
    const agent = await seedUser(ingest.env, victim.id, 'agent');
    const org = await seedVapiAccount(ingest.env, victim.id, { webhookSecret: 'victim-org-secret' });
    const line = number();
    await seedPhoneNumber(ingest.env, victim.id, { e164: line, matchOn: 'to', ownerUserId: agent.id, vapiAssistantId: 'asst_victim' });
    const attacker = await seedCompany(ingest.env);
    await legacyClaim(attacker.id, 'vapi', org.orgId, { webhookSecret: 'attacker-made-this-up' });

    const request = {
      message: {
        type: 'assistant-request',
        timestamp: Date.now(),
        call: { id: randomUUID(), orgId: org.orgId, type: 'inboundPhoneCall' },
        phoneNumber: { number: line },
        customer: { number: number() },
      },
    };
    const asAttacker = await deliverVapiWebhook({
      url: `${ingest.url}/webhooks/vapi`,
      body: request,
      credential: { kind: 'secret', secret: 'attacker-made-this-up' },
    });
    expect(JSON.parse(asAttacker.body)).toEqual({ error: 'this number is not registered with callvault' });
    const asVictim = await deliverVapiWebhook({
      url: `${ingest.url}/webhooks/vapi`,
      body: request,
      credential: { kind: 'secret', secret: 'victim-org-secret' },
    });
    const answer = JSON.parse(asVictim.body);
    expect(answer.assistantId).toBe('asst_victim');
    expect(verifyTenantTag(ingest.env.config.TAG_SIGNING_KEY!, answer.assistantOverrides.metadata.callvault)).toMatchObject({
      ok: true,
      tag: { companyId: victim.id },
    });

    // The attacker replays the victim's tag in a report it signs itself: the report stays the attacker's own.
    const report = JSON.parse(readFileSync(new URL('vapi/end-of-call-report.json', FIXTURES), 'utf8'));
    const callId = randomUUID();
    report.message.call = {
      ...report.message.call,
      id: callId,
      orgId: org.orgId,
      assistantOverrides: { metadata: { callvault: answer.assistantOverrides.metadata.callvault } },
    };
    report.message.phoneNumber = { number: line };
    expect(
      (await deliverVapiWebhook({ url: `${ingest.url}/webhooks/vapi`, body: report, credential: { kind: 'secret', secret: 'attacker-made-this-up' } })).status,
    ).toBe(204);
    await ingest.settled();
    const calls = await ingest.env.ownerDb.selectFrom('calls').select('company_id').where('vapi_call_id', '=', callId).execute();
    expect(calls.map((call) => call.company_id)).toEqual([attacker.id]);
  });
});

describe('replay looks only among the companies whose credential authenticated the event', () => {
  it('does not hand a quarantined event to a company that registered the account and the number afterwards', async () => {
    const accountSid = fakeTwilioAccountSid();
    const authToken = randomBytes(16).toString('hex');
    const [first, second] = [await seedCompany(ingest.env), await seedCompany(ingest.env)];
    for (const company of [first, second]) await seedTwilioAccount(ingest.env, company.id, { accountSid, authToken, shared: true });
    const to = number();
    const params = { ...callCompleted, AccountSid: accountSid, CallSid: fakeSid('CA'), To: to };
    expect((await deliver('/webhooks/twilio/call-status', authToken, params)).status).toBe(202);
    const event = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('call_ref', '=', params.CallSid).executeTakeFirstOrThrow();
    expect([...event.authenticated_company_ids].sort()).toEqual([first.id, second.id].sort());

    const latecomer = await seedCompany(ingest.env);
    await seedTwilioAccount(ingest.env, latecomer.id, { accountSid, authToken, shared: true });
    await seedPhoneNumber(ingest.env, latecomer.id, { e164: to, matchOn: 'to' });
    expect(await replayWebhookEvent(eventsDepsOf(ingest), event.id)).toBe('still_quarantined');
    expect(await callsOf(params.CallSid)).toEqual([]);
  });
});
