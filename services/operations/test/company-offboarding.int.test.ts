import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCompanyRows, withPlatform, type Company } from '@callvault/db';
import { recordingKey } from '@callvault/storage';
import {
  createTestEnvironment,
  fakeSid,
  scanBucketFor,
  scanDatabaseFor,
  seedCompany,
  seedPhoneNumber,
  seedTwilioAccount,
  seedUser,
  type TestEnvironment,
} from '@callvault/testing';
import { offboardCompany } from '../src/company-offboarding.processor';

let env: TestEnvironment;
let a: Company;
let b: Company;

/** A company with everything a working tenant has: users, provider account, number, a call with audio, transcript, payload, audit. */
async function populate(company: Company, words: string, number: string) {
  const user = await seedUser(env, company.id, 'company_admin');
  const account = await seedTwilioAccount(env, company.id);
  await seedPhoneNumber(env, company.id, { e164: number, matchOn: 'to', ownerUserId: user.id });
  const callSid = fakeSid('CA');
  const call = await env.ownerDb
    .insertInto('calls')
    .values({
      company_id: company.id,
      provider: 'twilio',
      twilio_account_sid: account.external_id,
      twilio_call_sid: callSid,
      from_number: '+13125550777',
      to_number: number,
      status: 'completed',
      status_rank: 0,
      summary: words,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const recording = await env.ownerDb
    .insertInto('recordings')
    .values({
      company_id: company.id,
      call_id: call.id,
      provider: 'twilio',
      provider_recording_id: fakeSid('RE'),
      status: 'stored',
      format: 'mp3',
      started_at: new Date('2024-05-01T10:00:00Z'),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const key = recordingKey({ companyId: company.id, callId: call.id, recordingId: recording.id, startedAt: recording.started_at!, extension: 'mp3' });
  await env.storage.uploadStream({
    key,
    body: Readable.from([Buffer.from(`audio of ${words}`)]),
    contentType: 'audio/mpeg',
    metadata: { companyid: company.id },
  });
  await env.ownerDb.updateTable('recordings').set({ storage_key: key }).where('id', '=', recording.id).execute();
  await env.ownerDb.insertInto('transcripts').values({ company_id: company.id, recording_id: recording.id, status: 'completed', text: words }).execute();
  await env.ownerDb
    .insertInto('webhook_events')
    .values({
      company_id: company.id,
      provider: 'twilio',
      event_type: 'call-status',
      idempotency_key: `${account.external_id}:${callSid}:completed:${randomUUID()}`,
      status: 'accepted',
      external_account_id: account.external_id,
      call_ref: callSid,
      payload: JSON.stringify({ CallSid: callSid, To: number, TranscriptionText: words }),
      request_path: '/webhooks/twilio/call-status',
    })
    .execute();
  await env.ownerDb
    .insertInto('audit_events')
    .values({
      company_id: company.id,
      actor_user_id: user.id,
      actor_subject: user.subject,
      actor_role: 'company_admin',
      action: 'recording.play',
      target_type: 'recording',
      target_id: recording.id,
    })
    .execute();
  return { callSid, accountSid: account.external_id, recordingId: recording.id, subject: user.subject };
}

let traceA: Awaited<ReturnType<typeof populate>>;
const A_WORDS = 'pangolin dental invoice';
const A_NUMBER = '+13125550401';

beforeAll(async () => {
  env = await createTestEnvironment();
  a = await seedCompany(env, 'Leaving Ltd');
  b = await seedCompany(env, 'Staying Inc');
  traceA = await populate(a, A_WORDS, A_NUMBER);
  await populate(b, 'armadillo payroll query', '+13125550402');
});

afterAll(async () => {
  await env?.close();
});

const rowsOf = (companyId: string) => withPlatform(env.db, (tx) => countCompanyRows(tx, companyId));

describe('offboardCompany', () => {
  it('refuses a company with a recording under legal hold, before touching anything', async () => {
    await env.ownerDb.updateTable('recordings').set({ legal_hold: true }).where('id', '=', traceA.recordingId).execute();
    const before = await rowsOf(a.id);
    await expect(offboardCompany(env, { companyId: a.id })).rejects.toThrow(/legal hold/);
    expect(await rowsOf(a.id)).toEqual(before);
    expect((await scanBucketFor(env.storage.client, env.storage.bucket, [a.id])).hits.length).toBeGreaterThan(0);
    await env.ownerDb.updateTable('recordings').set({ legal_hold: false }).where('id', '=', traceA.recordingId).execute();
  });

  it('leaves no row or object of the company, keeps the other company whole, and records the offboarding on the platform', async () => {
    const beforeA = await rowsOf(a.id);
    const beforeB = await rowsOf(b.id);
    const objectsB = await scanBucketFor(env.storage.client, env.storage.bucket, [b.id]);
    const started = Date.now();
    const result = await offboardCompany(env, { companyId: a.id });
    console.log(`offboarding: ${Date.now() - started} ms, rows ${JSON.stringify(result.outcome === 'offboarded' ? result.rows : {})}`);
    expect(result).toMatchObject({ outcome: 'offboarded', objects: 1 });
    expect(result.outcome === 'offboarded' && result.rows).toEqual(beforeA);

    const traces = [a.id, traceA.callSid, traceA.accountSid, traceA.recordingId, traceA.subject, A_WORDS, A_NUMBER];
    const hits = await scanDatabaseFor(env.ownerDb, traces);
    // The one trace left is the platform's record of the offboarding, naming the company by id.
    expect(hits.map((hit) => `${hit.table}.${hit.column}:${hit.value}`)).toEqual(expect.arrayContaining([`platform_audit_events.target_id:${a.id}`]));
    expect(hits.filter((hit) => hit.table !== 'platform_audit_events')).toEqual([]);
    // Rows keyed by ids only (which the text scan cannot see), such as change-feed tombstones, are gone too.
    expect(Object.entries(await rowsOf(a.id)).filter(([, count]) => count > 0)).toEqual([]);
    const bucket = await scanBucketFor(env.storage.client, env.storage.bucket, traces);
    expect(bucket.hits).toEqual([]);

    expect(await rowsOf(b.id)).toEqual(beforeB);
    expect((await scanBucketFor(env.storage.client, env.storage.bucket, [b.id])).hits).toEqual(objectsB.hits);
    const record = await env.ownerDb.selectFrom('platform_audit_events').selectAll().where('target_id', '=', a.id).executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      action: 'company.offboard.completed',
      actor_role: 'system',
      details: { objects: 1, detached: { providerAccounts: 1, phoneNumbers: 1 } },
    });
    expect(JSON.stringify(record)).not.toContain(A_WORDS);
  });

  it('is idempotent: a retry after the commit finds the company gone and changes nothing', async () => {
    expect(await offboardCompany(env, { companyId: a.id })).toEqual({ outcome: 'already-offboarded' });
    const records = await env.ownerDb.selectFrom('platform_audit_events').select('id').where('target_id', '=', a.id).execute();
    expect(records).toHaveLength(1);
  });
});
