import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Company } from '@callvault/db';
import { fakeSid, openForFile, scanDatabaseFor, seedTwilioAccount } from '@callvault/testing';
import { createAdminWorld } from './admin-test-kit';

const world = openForFile(createAdminWorld);

const A_WORDS = 'capybara orthodontics referral';
const B_WORDS = 'wombat freight delay';
let authTokenA: string;

async function seedCallOf(company: Company, words: string) {
  const { env } = world();
  const callSid = fakeSid('CA');
  const call = await env.ownerDb
    .insertInto('calls')
    .values({
      company_id: company.id,
      provider: 'twilio',
      twilio_call_sid: callSid,
      from_number: '+13125550901',
      to_number: '+13125550902',
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
      storage_key: `companies/${company.id}/recordings/2024/05/01/${call.id}/${randomUUID()}.mp3`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await env.ownerDb.insertInto('transcripts').values({ company_id: company.id, recording_id: recording.id, status: 'completed', text: words }).execute();
  await env.ownerDb
    .insertInto('webhook_events')
    .values({
      company_id: company.id,
      provider: 'twilio',
      event_type: 'transcription',
      idempotency_key: `AC:${randomUUID()}`,
      status: 'accepted',
      call_ref: callSid,
      payload: JSON.stringify({ CallSid: callSid, TranscriptionText: words }),
      request_path: '/webhooks/twilio/transcription',
    })
    .execute();
  return { call, recording };
}

let seededA: Awaited<ReturnType<typeof seedCallOf>>;

beforeAll(async () => {
  authTokenA = (await seedTwilioAccount(world().env, world().a.id)).authToken;
  seededA = await seedCallOf(world().a, A_WORDS);
  await seedCallOf(world().b, B_WORDS);
});

async function archiveOf(companyId: string) {
  const response = await world().call(world().tokens.superadmin, 'GET', `/v1/companies/${companyId}/export`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
  const lines = response.body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  return { body: response.body, lines };
}

describe('GET /v1/companies/{id}/export', () => {
  it("streams every row of the company, with the recordings' storage keys, ending with a completion line", async () => {
    const { lines } = await archiveOf(world().a.id);
    expect(lines.at(-1)).toEqual({ complete: true, rows: lines.length - 1 });
    const tables = new Set(lines.slice(0, -1).map((line) => line.table));
    for (const table of ['companies', 'users', 'provider_accounts', 'calls', 'recordings', 'transcripts', 'webhook_events', 'audit_events'])
      expect(tables).toContain(table);
    const recording = lines.find((line) => line.table === 'recordings' && line.row.id === seededA.recording.id);
    expect(recording.row.storage_key).toBe(seededA.recording.storage_key);
  });

  it('contains every row the forensic scan finds for the company, and nothing of another company or any secret', async () => {
    const { lines, body } = await archiveOf(world().a.id);
    const exported = new Set(lines.map((line) => (line.row ? `${line.table}:${line.row.id}` : '')));
    const hits = await scanDatabaseFor(world().env.ownerDb, [world().a.id, A_WORDS]);
    const companyHits = hits.filter((hit) => hit.table !== 'platform_audit_events' && hit.table !== 'rollup_dirty_days' && hit.table !== 'daily_rollups');
    expect(companyHits.length).toBeGreaterThan(4);
    for (const hit of companyHits) expect(exported, `${hit.table}:${hit.row}`).toContain(`${hit.table}:${hit.row}`);
    for (const foreign of [world().b.id, B_WORDS, authTokenA, 'secrets_sealed', 'token_hash']) expect(body).not.toContain(foreign);
  });

  it('is audited in the company and on the platform', async () => {
    await archiveOf(world().a.id);
    const platform = await world()
      .env.ownerDb.selectFrom('platform_audit_events')
      .selectAll()
      .where('target_id', '=', world().a.id)
      .where('action', '=', 'company.export')
      .execute();
    expect(platform.length).toBeGreaterThan(0);
    const own = await world()
      .env.ownerDb.selectFrom('audit_events')
      .selectAll()
      .where('company_id', '=', world().a.id)
      .where('action', '=', 'company.export')
      .execute();
    expect(own.length).toBeGreaterThan(0);
  });

  it('refuses every company role with 403, its own company included; an unknown company is 404', async () => {
    for (const token of [world().tokens.adminA, world().tokens.managerA, world().tokens.agentA, world().tokens.adminB]) {
      const response = await world().call(token, 'GET', `/v1/companies/${world().a.id}/export`);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
    const missing = await world().call(world().tokens.superadmin, 'GET', `/v1/companies/${randomUUID()}/export`);
    expect(missing.statusCode).toBe(404);
  });
});
