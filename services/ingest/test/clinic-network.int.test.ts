import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTenantTag } from '@callvault/crypto';
import type { Company, User } from '@callvault/db';
import { createRedis, describeJob, runWorker, type JobContext, type RunningWorker, type RedisClient } from '@callvault/queue';
import { startSimulator, deliverTwilioWebhook, deliverVapiWebhook, type SimAccount, type SimVapiOrg, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, seedVapiAccount, waitFor } from '@callvault/testing';
import { lookUpTenant, processProviderSync } from '@callvault/events';
import { eventsDepsOf, startIngest, type IngestHarness } from './ingest-harness';

/**
 * The seed scenario of a clinic network: one operator VAPI org and one Twilio account, shared by
 * three clinic companies by a superadmin; each clinic's own outbound line registered with
 * matchOn "from", owned by one of its agents. Calls land in the clinic whose line placed them;
 * a caller nobody registered is refused at assistant-request and quarantined otherwise; a
 * recording callback that beats its call callback is resolved by asking Twilio for the call.
 */
const FIXTURES = new URL('../../../packages/testing/fixtures/', import.meta.url);
const REPORT = JSON.parse(readFileSync(new URL('vapi/end-of-call-report.json', FIXTURES), 'utf8'));
const number = () => `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

interface Clinic {
  company: Company;
  agent: User;
  line: string;
}

let sim: Simulator;
let ingest: IngestHarness;
let workerRedis: RedisClient;
let lookups: RunningWorker;
let twilio: SimAccount;
let org: SimVapiOrg & { webhookSecret: string };
let clinics: Clinic[];
const assistantNumber = number();

beforeAll(async () => {
  sim = await startSimulator();
  const env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl, VAPI_API_BASE_URL: sim.baseUrl, MEDIA_FETCH_ALLOWED_HOSTS: sim.host });
  ingest = await startIngest({ env });
  workerRedis = createRedis(env.redis, 'worker');
  lookups = runWorker({
    queue: 'tenant-lookup',
    connection: workerRedis,
    prefix: env.config.QUEUE_PREFIX,
    concurrency: 2,
    log: env.log,
    process: (payload) => lookUpTenant(eventsDepsOf(ingest), payload.eventId),
  });

  twilio = sim.state.addAccount();
  org = { ...sim.vapi.addOrg(), webhookSecret: `org-secret-${randomBytes(8).toString('hex')}` };
  clinics = [];
  for (let index = 0; index < 3; index += 1) {
    const company = await seedCompany(env, `Clinic ${index + 1}`);
    const agent = await seedUser(env, company.id, 'agent');
    const line = number();
    await seedTwilioAccount(env, company.id, { accountSid: twilio.accountSid, authToken: twilio.authToken, shared: true });
    await seedVapiAccount(env, company.id, { orgId: org.orgId, apiKey: org.apiKey, webhookSecret: org.webhookSecret, shared: true });
    await seedPhoneNumber(env, company.id, { e164: line, matchOn: 'from', ownerUserId: agent.id, vapiAssistantId: `asst_clinic_${index + 1}` });
    clinics.push({ company, agent, line });
  }
});

afterAll(async () => {
  await lookups?.close();
  workerRedis?.disconnect();
  await ingest?.close();
  await sim?.close();
  await ingest?.env.close();
});

const vapi = (body: unknown) => deliverVapiWebhook({ url: `${ingest.url}/webhooks/vapi`, body, credential: { kind: 'secret', secret: org.webhookSecret } });
const twilioCallback = async (path: string, params: Record<string, string>) => {
  const response = await deliverTwilioWebhook({
    publicBaseUrl: ingest.env.config.PUBLIC_BASE_URL,
    targetBaseUrl: ingest.url,
    path,
    authToken: twilio.authToken,
    params,
  });
  await ingest.settled();
  return response;
};
const assistantRequest = (from: string) => ({
  message: {
    type: 'assistant-request',
    timestamp: Date.now(),
    call: { id: randomUUID(), orgId: org.orgId, type: 'inboundPhoneCall' },
    phoneNumber: { number: assistantNumber },
    customer: { number: from },
  },
});
function report(from: string, metadata?: Record<string, unknown>) {
  const body = structuredClone(REPORT);
  const transport = { ...body.message.call.transport, callSid: `CA${randomBytes(16).toString('hex')}` };
  body.message.call = {
    ...body.message.call,
    id: randomUUID(),
    orgId: org.orgId,
    type: 'inboundPhoneCall',
    transport,
    ...(metadata ? { assistantOverrides: { metadata } } : {}),
  };
  body.message.phoneNumber = { number: assistantNumber };
  body.message.customer = { number: from };
  return body;
}
const vapiCall = (id: string) =>
  ingest.env.ownerDb.selectFrom('calls').select(['company_id', 'owner_user_id']).where('vapi_call_id', '=', id).executeTakeFirst();
const twilioCalls = (sid: string) =>
  ingest.env.ownerDb.selectFrom('calls').select(['company_id', 'owner_user_id']).where('twilio_call_sid', '=', sid).execute();

describe('the shared VAPI assistant', () => {
  it("answers each clinic's line with that clinic's assistant and tag, and files its reports there", async () => {
    for (const clinic of clinics) {
      const answer = JSON.parse((await vapi(assistantRequest(clinic.line))).body);
      expect(answer.assistantId).toBe(`asst_${clinic.company.name.toLowerCase().replace(' ', '_')}`);
      const tag = answer.assistantOverrides.metadata.callvault;
      expect(verifyTenantTag(ingest.env.config.TAG_SIGNING_KEY!, tag)).toMatchObject({
        ok: true,
        tag: { companyId: clinic.company.id, ownerUserId: clinic.agent.id },
      });
      const body = report(clinic.line, { callvault: tag });
      expect((await vapi(body)).status).toBe(204);
      await ingest.settled();
      expect(await vapiCall(body.message.call.id)).toEqual({ company_id: clinic.company.id, owner_user_id: clinic.agent.id });
    }
  });

  it('tells clinics apart by their line without a tag, refuses an unregistered caller and quarantines its report', async () => {
    const [, second] = clinics as [Clinic, Clinic, Clinic];
    const untagged = report(second.line);
    expect((await vapi(untagged)).status).toBe(204);
    await ingest.settled();
    expect(await vapiCall(untagged.message.call.id)).toEqual({ company_id: second.company.id, owner_user_id: second.agent.id });

    const stranger = number();
    expect(JSON.parse((await vapi(assistantRequest(stranger))).body)).toEqual({ error: 'this number is not registered with callvault' });
    const strangers = report(stranger);
    expect((await vapi(strangers)).status).toBe(202);
    expect(await vapiCall(strangers.message.call.id)).toBeUndefined();
    const event = await ingest.env.ownerDb
      .selectFrom('webhook_events')
      .select(['status', 'company_id'])
      .where('call_ref', '=', strangers.message.call.id)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ status: 'quarantined', company_id: null });
  });
});

describe('the shared Twilio account', () => {
  it("files a call under the clinic whose line placed it, with that line's owner", async () => {
    const [, second] = clinics as [Clinic, Clinic, Clinic];
    const recording = sim.state.addRecording(twilio.accountSid);
    expect((await twilioCallback('/webhooks/twilio/call-status', sim.callCompletedParams(recording, { from: second.line, to: assistantNumber }))).status).toBe(
      204,
    );
    expect(await twilioCalls(recording.callSid)).toEqual([{ company_id: second.company.id, owner_user_id: second.agent.id }]);
  });

  it("files a call forwarded from a clinic's own line (ForwardedFrom) under that clinic", async () => {
    const [first] = clinics as [Clinic, Clinic, Clinic];
    const frontDesk = number();
    await seedPhoneNumber(ingest.env, first.company.id, { e164: frontDesk, matchOn: 'to', ownerUserId: first.agent.id });
    const recording = sim.state.addRecording(twilio.accountSid);
    const params = sim.callCompletedParams(recording, { from: number(), to: assistantNumber, forwardedFrom: frontDesk });
    expect((await twilioCallback('/webhooks/twilio/call-status', params)).status).toBe(204);
    expect(await twilioCalls(recording.callSid)).toEqual([{ company_id: first.company.id, owner_user_id: first.agent.id }]);
  });

  it('resolves a recording that arrives before its call by asking Twilio for the call, without a superadmin', async () => {
    const [, , third] = clinics as [Clinic, Clinic, Clinic];
    const recording = sim.state.addRecording(twilio.accountSid);
    const callParams = sim.callCompletedParams(recording, { from: third.line, to: assistantNumber });
    expect((await twilioCallback('/webhooks/twilio/recording-status', sim.recordingCompletedParams(recording))).status).toBe(202);
    const stored = await waitFor(
      () =>
        ingest.env.ownerDb
          .selectFrom('recordings')
          .select(['company_id', 'owner_user_id', 'status'])
          .where('provider_recording_id', '=', recording.sid)
          .executeTakeFirst(),
      { what: 'the tenant lookup accepted the recording' },
    );
    expect(stored).toEqual({ company_id: third.company.id, owner_user_id: third.agent.id, status: 'pending' });
    // The call callback that follows joins the same call.
    expect((await twilioCallback('/webhooks/twilio/call-status', callParams)).status).toBe(204);
    expect(await twilioCalls(recording.callSid)).toEqual([{ company_id: third.company.id, owner_user_id: third.agent.id }]);
  });

  it("leaves a recording of a call from a number no clinic registered quarantined, after Twilio's answer", async () => {
    const recording = sim.state.addRecording(twilio.accountSid);
    sim.callCompletedParams(recording, { from: number(), to: assistantNumber });
    expect((await twilioCallback('/webhooks/twilio/recording-status', sim.recordingCompletedParams(recording))).status).toBe(202);
    const event = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('call_ref', '=', recording.callSid).executeTakeFirstOrThrow();
    const job = await waitFor(async () => {
      const found = await ingest.producer.queue('tenant-lookup').getJob(describeJob('tenant-lookup', { eventId: event.id }).jobId);
      return (await found?.isCompleted()) ? found : undefined;
    });
    expect(job.returnvalue).toBe('still_quarantined');
    expect((await ingest.env.ownerDb.selectFrom('webhook_events').select('status').where('id', '=', event.id).executeTakeFirstOrThrow()).status).toBe(
      'quarantined',
    );
  });

  it('reconciles the shared account among the clinics whose token listed it: a missed recording reaches its clinic', async () => {
    const [first, second] = clinics as [Clinic, Clinic, Clinic];
    // Twilio holds a recording of clinic 2's call; callvault never heard of it.
    const missed = sim.state.addRecording(twilio.accountSid);
    sim.callCompletedParams(missed, { from: second.line, to: assistantNumber });
    const context = { job: {} as JobContext['job'], log: ingest.env.log, signal: new AbortController().signal };
    const report = await processProviderSync(eventsDepsOf(ingest), { companyId: first.company.id, requestedAt: new Date().toISOString() }, context);
    expect(report.quarantined).toBeGreaterThanOrEqual(1);
    const stored = await waitFor(
      () =>
        ingest.env.ownerDb.selectFrom('recordings').select(['company_id', 'owner_user_id']).where('provider_recording_id', '=', missed.sid).executeTakeFirst(),
      {
        what: 'the missed recording reached its clinic',
      },
    );
    expect(stored).toEqual({ company_id: second.company.id, owner_user_id: second.agent.id });
  });
});
