import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { runRetentionSweep } from '@callvault/erasure';
import { startPipeline, type Pipeline } from '@callvault/isolation-suite';
import { deliverTwilioWebhook, deliverVapiWebhook, type Simulator } from '@callvault/simulator';
import {
  scanBucketFor,
  scanDatabaseFor,
  seedCompany,
  seedPhoneNumber,
  seedTwilioAccount,
  seedUser,
  seedVapiAccount,
  tokenFor,
  waitFor,
  type DatabaseHit,
  type TestEnvironment,
} from '@callvault/testing';

/**
 * Forensic proof of erasure: a call is planted through the real webhooks (the simulator signs
 * them) and the whole pipeline (ingest, fetcher, transcriber, analytics), with words and numbers
 * found nowhere else; it is deleted one way or another; then every text, varchar, json(b) and
 * tsvector column of every table and every object in the bucket is searched for them.
 */
let pipeline: Pipeline;
let env: TestEnvironment;
let sim: Simulator;
let ingestUrl: string;
let gateway: FastifyInstance;

beforeAll(async () => {
  pipeline = await startPipeline({ removeObjects: true });
  ({ env, sim, ingestUrl, gateway } = pipeline);
});

afterAll(async () => pipeline?.close());

/** Words and numbers said in the call: after erasure, found nowhere. */
interface Planted {
  companyId: string;
  adminSubject: string;
  recordingId: string;
  callId: string;
  storageKey: string;
  content: string[];
  /** Provider ids of the call: they may stay where deduplication and the audit trail need them. */
  providerIds: string[];
  phoneNumbers: string[];
  /** Whether the simulated provider still holds its own copy of the audio. */
  providerCopyDeleted: () => boolean;
  /** Sends the call's first content-bearing webhook again, as a provider retry would. */
  redeliver: () => Promise<void>;
}

const word = () => `zq${randomBytes(5).toString('hex')}`;

function distinctiveContent() {
  const words = [word(), word(), word()];
  // A Luhn-valid card number and an SSN, as a caller would say them; redaction removes them from
  // the transcript, and the forensic scan checks they were not kept anywhere else either.
  return { words, said: `Please charge card 4000 0566 5566 5556, my SSN is 219-09-9999, code words ${words.join(' ')}.` };
}

async function storedRecording(where: { providerRecordingId: string }) {
  return waitFor(
    async () => {
      const row = await env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', where.providerRecordingId).executeTakeFirst();
      if (row?.status !== 'stored') return undefined;
      const transcript = await env.ownerDb.selectFrom('transcripts').select('status').where('recording_id', '=', row.id).executeTakeFirst();
      const metrics = await env.ownerDb.selectFrom('call_metrics').select('id').where('recording_id', '=', row.id).executeTakeFirst();
      return transcript?.status === 'completed' && metrics ? row : undefined;
    },
    { what: 'recording stored, transcribed and analysed', timeoutMs: 25_000 },
  );
}

async function plantTwilioCall(options: { deleteFromProviderOnErasure?: boolean } = {}): Promise<Planted> {
  const twilio = sim.state.addAccount();
  const company = await seedCompany(env);
  await seedTwilioAccount(env, company.id, {
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    settings: { deleteFromProviderOnErasure: options.deleteFromProviderOnErasure ?? false },
  });
  const admin = await seedUser(env, company.id, 'company_admin');
  const to = `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const from = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  await seedPhoneNumber(env, company.id, { e164: to, matchOn: 'to', ownerUserId: admin.id });
  const recording = sim.state.addRecording(twilio.accountSid, { durationSeconds: 8, channels: 1 });
  const deliver = async (path: string, params: Record<string, string>) => {
    const answer = await deliverTwilioWebhook({
      publicBaseUrl: env.config.PUBLIC_BASE_URL,
      targetBaseUrl: ingestUrl,
      path,
      authToken: twilio.authToken,
      params,
    });
    expect(answer.status).toBe(204);
  };
  const { words, said } = distinctiveContent();
  const transcriptionSid = `TR${randomBytes(16).toString('hex')}`;
  await deliver('/webhooks/twilio/call-status', sim.callCompletedParams(recording, { from, to }));
  const transcription = {
    AccountSid: twilio.accountSid,
    CallSid: recording.callSid,
    RecordingSid: recording.sid,
    RecordingUrl: `${sim.baseUrl}/2010-04-01/Accounts/${twilio.accountSid}/Recordings/${recording.sid}`,
    TranscriptionSid: transcriptionSid,
    TranscriptionText: said,
    TranscriptionStatus: 'completed',
    From: from,
    To: to,
  };
  await deliver('/webhooks/twilio/transcription', transcription);
  await deliver('/webhooks/twilio/recording-status', sim.recordingCompletedParams(recording));
  const stored = await storedRecording({ providerRecordingId: recording.sid });
  return {
    companyId: company.id,
    adminSubject: admin.subject,
    recordingId: stored.id,
    callId: stored.call_id,
    storageKey: stored.storage_key!,
    content: [...words, '4000 0566 5566 5556', '4000056655665556', '219-09-9999'],
    providerIds: [recording.sid, recording.callSid, transcriptionSid],
    phoneNumbers: [from, to],
    providerCopyDeleted: () => recording.deleted,
    redeliver: () => deliver('/webhooks/twilio/transcription', transcription),
  };
}

async function plantVapiCall(): Promise<Planted> {
  const org = sim.vapi.addOrg();
  const company = await seedCompany(env);
  await seedVapiAccount(env, company.id, { orgId: org.orgId, apiKey: org.apiKey, webhookSecret: 'forensic-secret' });
  const admin = await seedUser(env, company.id, 'company_admin');
  const vapiCall = sim.vapi.addCall(org.orgId, { durationSeconds: 6, channels: 2 });
  const { words, said } = distinctiveContent();
  const customer = `+1646${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const report = sim.vapiEndOfCallReport(vapiCall, { customerNumber: customer }) as {
    message: { analysis: unknown; artifact: { transcript: string; messages: unknown[] } };
  };
  report.message.analysis = { summary: `Caller gave card and SSN. ${said}`, successEvaluation: `passed ${words[0]}`, structuredData: { note: words[1] } };
  report.message.artifact.transcript = `User: ${said}\n`;
  report.message.artifact.messages.push({ role: 'user', message: said, time: Date.now(), secondsFromStart: 8, duration: 4000 });
  const deliver = async () => {
    const answer = await deliverVapiWebhook({ url: `${ingestUrl}/webhooks/vapi`, body: report, credential: { kind: 'secret', secret: 'forensic-secret' } });
    expect(answer.status).toBe(204);
  };
  await deliver();
  const stored = await storedRecording({ providerRecordingId: vapiCall.id });
  const call = await env.ownerDb.selectFrom('calls').select(['summary', 'success_evaluation']).where('id', '=', stored.call_id).executeTakeFirstOrThrow();
  // Summaries and analysis are redacted before they are stored, as transcripts are: the words stay, the card and SSN never reach the row.
  expect(call.summary).toContain(words[0]);
  expect(call.summary).toContain('[REDACTED CARD]');
  expect(call.summary).toContain('[REDACTED SSN]');
  expect(call.summary).not.toMatch(/4000 0566|219-09-9999/);
  expect(call.success_evaluation).toBe(`passed ${words[0]}`);
  return {
    companyId: company.id,
    adminSubject: admin.subject,
    recordingId: stored.id,
    callId: stored.call_id,
    storageKey: stored.storage_key!,
    content: [...words, '4000 0566 5566 5556', '4000056655665556', '219-09-9999'],
    providerIds: [vapiCall.id],
    phoneNumbers: [customer],
    providerCopyDeleted: () => false,
    redeliver: deliver,
  };
}

/**
 * Where a call's ids may stay after its erasure: the tombstone and the call row (rollups and the
 * audit trail stand on them), the stored events' ids and idempotency keys (deduplication), the
 * audit trail itself, and the outbound `recording.deleted` event that told the company.
 */
const ID_PLACES = new Set([
  'recordings.id',
  'recordings.provider_recording_id',
  'recordings.storage_key',
  'calls.twilio_call_sid',
  'calls.vapi_call_id',
  'webhook_events.idempotency_key',
  'webhook_events.call_ref',
  'webhook_events.payload',
  'audit_events.target_id',
  'audit_events.details',
  'webhook_deliveries.payload',
  'job_outbox.payload',
]);
/** The call's numbers are its metadata, not its content: they stay on the call and its tombstone until the person is erased. */
const NUMBER_PLACES = new Set(['calls.from_number', 'calls.to_number', 'recordings.from_number', 'recordings.to_number', 'phone_numbers.e164']);

const place = (hit: DatabaseHit) => `${hit.table}.${hit.column}`;

async function scanAfterErasure(planted: Planted) {
  await waitFor(
    async () =>
      (await env.ownerDb.selectFrom('recordings').select('storage_key').where('id', '=', planted.recordingId).executeTakeFirstOrThrow()).storage_key === null,
    { what: 'object removal ran', timeoutMs: 15_000 },
  );
  const contentHits = await scanDatabaseFor(env.ownerDb, planted.content);
  const idHits = await scanDatabaseFor(env.ownerDb, [...planted.providerIds, planted.recordingId]);
  const numberHits = await scanDatabaseFor(env.ownerDb, planted.phoneNumbers);
  const bucket = await scanBucketFor(env.storage.client, env.storage.bucket, [...planted.content, planted.recordingId, planted.callId]);
  return { contentHits, idHits, numberHits, bucket };
}

function expectNothingLeft(planted: Planted, scan: Awaited<ReturnType<typeof scanAfterErasure>>) {
  expect(scan.contentHits).toEqual([]);
  expect(scan.idHits.filter((hit) => !ID_PLACES.has(place(hit)))).toEqual([]);
  expect(scan.numberHits.filter((hit) => !NUMBER_PLACES.has(place(hit)))).toEqual([]);
  // s3rver lists no versions: this proves the current object is gone, not that older versions are.
  expect(scan.bucket.versionsListed).toBe(false);
  expect(scan.bucket.hits).toEqual([]);
  expect(scan.bucket.hits.some((hit) => hit.key === planted.storageKey)).toBe(false);
}

async function expectPlantedEverywhere(planted: Planted) {
  // The scan must be able to fail: before erasure it finds the call's words in several tables.
  const before = await scanDatabaseFor(env.ownerDb, planted.content);
  const tables = new Set(before.map(place));
  expect(tables.has('webhook_events.payload')).toBe(true);
  expect(tables.has('transcripts.text')).toBe(true);
  const bucket = await scanBucketFor(env.storage.client, env.storage.bucket, [planted.recordingId]);
  expect(bucket.hits.map((hit) => hit.key)).toContain(planted.storageKey);
  return tables;
}

describe('forensic erasure', () => {
  it('single delete (DELETE /v1/recordings/{id}) of a Twilio call leaves none of its words, numbers or audio behind, nor Twilio’s copy when asked', async () => {
    const planted = await plantTwilioCall({ deleteFromProviderOnErasure: true });
    const tables = await expectPlantedEverywhere(planted);
    expect(tables.has('provider_transcripts.text')).toBe(true);
    const auth = { authorization: `Bearer ${await tokenFor(env, planted.adminSubject)}` };
    expect((await gateway.inject({ method: 'DELETE', url: `/v1/recordings/${planted.recordingId}`, headers: auth })).statusCode).toBe(204);
    expectNothingLeft(planted, await scanAfterErasure(planted));
    expect(planted.providerCopyDeleted()).toBe(true);
    const events = await env.ownerDb.selectFrom('webhook_events').select(['payload_redacted_at']).where('call_ref', '=', planted.providerIds[1]!).execute();
    expect(events.length).toBe(3);
    expect(events.every((event) => event.payload_redacted_at !== null)).toBe(true);
    // The redacted events still deduplicate: a provider retry of the transcription is a duplicate and brings nothing back.
    await planted.redeliver();
    expect(await env.ownerDb.selectFrom('webhook_events').select('id').where('call_ref', '=', planted.providerIds[1]!).execute()).toHaveLength(3);
    expect(await scanDatabaseFor(env.ownerDb, planted.content)).toEqual([]);
  });

  it('single delete of a VAPI call removes its summary, analysis and the report’s transcript and messages', async () => {
    const planted = await plantVapiCall();
    const tables = await expectPlantedEverywhere(planted);
    expect(tables.has('calls.summary')).toBe(true);
    const auth = { authorization: `Bearer ${await tokenFor(env, planted.adminSubject)}` };
    expect((await gateway.inject({ method: 'DELETE', url: `/v1/recordings/${planted.recordingId}`, headers: auth })).statusCode).toBe(204);
    expectNothingLeft(planted, await scanAfterErasure(planted));
    await planted.redeliver();
    expect(await scanDatabaseFor(env.ownerDb, planted.content)).toEqual([]);
    const call = await gateway.inject({ method: 'GET', url: `/v1/calls/${planted.callId}`, headers: auth });
    expect(JSON.stringify(call.json())).not.toContain(planted.content[0]);
  });

  it('bulk delete leaves nothing behind', async () => {
    const planted = await plantTwilioCall();
    await expectPlantedEverywhere(planted);
    const auth = { authorization: `Bearer ${await tokenFor(env, planted.adminSubject)}` };
    const answer = await gateway.inject({ method: 'POST', url: '/v1/recordings/bulk/delete', headers: auth, payload: { ids: [planted.recordingId] } });
    expect(answer.statusCode).toBe(200);
    expectNothingLeft(planted, await scanAfterErasure(planted));
    // The company did not ask: Twilio keeps its copy.
    expect(planted.providerCopyDeleted()).toBe(false);
  });

  it('the retention sweep leaves nothing behind, and a legal hold keeps everything on every path', async () => {
    const planted = await plantTwilioCall();
    await expectPlantedEverywhere(planted);
    await sql`update companies set retention_days = 1 where id = ${planted.companyId}`.execute(env.ownerDb);
    const auth = { authorization: `Bearer ${await tokenFor(env, planted.adminSubject)}` };

    // Held: the user's delete answers 409, bulk reports legal_hold, the sweep skips it; the content stays.
    expect(
      (await gateway.inject({ method: 'PUT', url: `/v1/recordings/${planted.recordingId}/legal-hold`, headers: auth, payload: { legalHold: true } }))
        .statusCode,
    ).toBe(200);
    const single = await gateway.inject({ method: 'DELETE', url: `/v1/recordings/${planted.recordingId}`, headers: auth });
    expect(single.statusCode).toBe(409);
    expect(single.json().code).toBe('legal_hold');
    const bulk = await gateway.inject({ method: 'POST', url: '/v1/recordings/bulk/delete', headers: auth, payload: { ids: [planted.recordingId] } });
    expect(bulk.json().results).toEqual([{ id: planted.recordingId, status: 'legal_hold' }]);
    const later = new Date(Date.now() + 3 * 86_400_000);
    const held = await runRetentionSweep({ db: env.db, log: env.log }, later);
    expect(held.skippedLegalHold).toBeGreaterThanOrEqual(1);
    expect((await scanDatabaseFor(env.ownerDb, planted.content)).map(place)).toContain('webhook_events.payload');

    expect(
      (await gateway.inject({ method: 'PUT', url: `/v1/recordings/${planted.recordingId}/legal-hold`, headers: auth, payload: { legalHold: false } }))
        .statusCode,
    ).toBe(200);
    const swept = await runRetentionSweep({ db: env.db, log: env.log, committed: pipeline.jobsCommitted }, later);
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expectNothingLeft(planted, await scanAfterErasure(planted));
  });
});
