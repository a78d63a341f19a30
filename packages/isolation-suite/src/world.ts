import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { refreshDirtyRollups, upsertProviderAccount, withCompany, withPlatform } from '@callvault/db';
import { recordingKey } from '@callvault/storage';
import { fakeTwilioAccountSid, tokenFor, type TestEnvironment } from '@callvault/testing';
import type { CallShape, WorldShape } from './world-shape';

export type UserRole = 'agent' | 'manager' | 'company_admin';

export interface WorldUser {
  role: UserRole;
  id: string;
  companyId: string;
  subject: string;
  managerId: string | null;
  name: string;
  email: string;
  token: string;
}
export interface Superadmin {
  role: 'superadmin';
  id: string;
  companyId: null;
  subject: string;
  token: string;
}
export type Principal = WorldUser | Superadmin;

export interface WorldCall {
  id: string;
  companyId: string;
  ownerUserId: string | null;
  from: string;
  to: string;
  direction: string;
  startedAt: Date;
  callSid: string;
}
export interface WorldRecording {
  id: string;
  callId: string;
  companyId: string;
  ownerUserId: string | null;
  status: 'stored' | 'pending' | 'failed';
  storageKey: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  durationSeconds: number;
  /** A word only this recording's transcript contains (null: no transcript). */
  word: string | null;
  transcriptId: string | null;
}
export interface WorldNumber {
  id: string;
  companyId: string;
  e164: string;
  ownerUserId: string | null;
}
export interface WorldCompany {
  id: string;
  name: string;
  /** A word every transcript of this company contains, and no other company's. */
  word: string;
  admin: WorldUser;
  managers: WorldUser[];
  agents: WorldUser[];
  twilio: { accountId: string; accountSid: string; authToken: string };
  vapi: { accountId: string; orgId: string; apiKey: string; webhookSecret: string };
  numbers: WorldNumber[];
}
export interface WorldEvent {
  id: string;
  companyId: string | null;
  marker: string;
}
export interface World {
  companies: WorldCompany[];
  users: WorldUser[];
  calls: WorldCall[];
  recordings: WorldRecording[];
  events: WorldEvent[];
  superadmin: Superadmin;
  principals: Principal[];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const usedNumbers = new Set<string>();

/** A phone number no other entity of any world uses, so finding it in a response names its owner. */
export function distinctNumber(): string {
  for (;;) {
    const e164 = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    if (!usedNumbers.has(e164)) {
      usedNumbers.add(e164);
      return e164;
    }
  }
}

/** Empties the database (the template's schema stays) so the next world's model is exact. */
export async function resetWorld(env: TestEnvironment): Promise<void> {
  await sql`TRUNCATE companies, platform_admins, webhook_events CASCADE`.execute(env.ownerDb);
}

async function insertUser(env: TestEnvironment, companyId: string, role: UserRole, managerId: string | null): Promise<WorldUser> {
  const tag = hex(5);
  const user = { role, id: randomUUID(), companyId, subject: `sub-${hex(8)}`, managerId, name: `Name${tag}`, email: `mail${tag}@example.test` };
  await env.ownerDb
    .insertInto('users')
    .values({ id: user.id, company_id: companyId, subject: user.subject, role, manager_id: managerId, name: user.name, email: user.email })
    .execute();
  return { ...user, token: await tokenFor(env, user.subject, 3600) };
}

async function insertCall(env: TestEnvironment, company: WorldCompany, owner: string | null, shape: CallShape, world: World): Promise<void> {
  const startedAt = new Date(Date.now() - shape.daysAgo * 86_400_000 - Math.floor(Math.random() * 3_600_000));
  const call: WorldCall = {
    id: randomUUID(),
    companyId: company.id,
    ownerUserId: owner,
    from: distinctNumber(),
    to: distinctNumber(),
    direction: shape.direction,
    startedAt,
    callSid: `CA${hex(16)}`,
  };
  await env.ownerDb
    .insertInto('calls')
    .values({
      id: call.id,
      company_id: company.id,
      owner_user_id: owner,
      provider: 'twilio',
      twilio_account_sid: company.twilio.accountSid,
      twilio_call_sid: call.callSid,
      from_number: call.from,
      to_number: call.to,
      direction: call.direction,
      status: 'completed',
      status_rank: 50,
      started_at: startedAt,
      ended_at: new Date(startedAt.getTime() + shape.durationSeconds * 1000),
      duration_seconds: shape.durationSeconds,
    })
    .execute();
  world.calls.push(call);
  if (shape.recording === 'none') return;

  const recording: WorldRecording = {
    id: randomUUID(),
    callId: call.id,
    companyId: company.id,
    ownerUserId: owner,
    status: shape.recording,
    storageKey: null,
    sha256: null,
    sizeBytes: null,
    durationSeconds: shape.durationSeconds,
    word: null,
    transcriptId: null,
  };
  if (recording.status === 'stored') {
    const key = recordingKey({ companyId: company.id, callId: call.id, recordingId: recording.id, startedAt, extension: 'mp3' });
    const stored = await env.storage.uploadStream({
      key,
      body: Readable.from([randomBytes(700)]),
      contentType: 'audio/mpeg',
      metadata: { companyid: company.id, callid: call.id },
    });
    Object.assign(recording, { storageKey: key, sha256: stored.sha256, sizeBytes: stored.sizeBytes });
    if (shape.transcript) Object.assign(recording, { word: `w${hex(6)}`, transcriptId: randomUUID() });
  }
  await env.ownerDb
    .insertInto('recordings')
    .values({
      id: recording.id,
      company_id: company.id,
      call_id: call.id,
      owner_user_id: owner,
      provider: 'twilio',
      provider_recording_id: `RE${hex(16)}`,
      status: recording.status,
      format: 'mp3',
      channels: 2,
      duration_seconds: recording.durationSeconds,
      size_bytes: recording.sizeBytes,
      sha256: recording.sha256,
      storage_key: recording.storageKey,
      from_number: call.from,
      to_number: call.to,
      direction: call.direction,
      started_at: startedAt,
      has_transcript: recording.transcriptId !== null,
      stored_at: recording.status === 'stored' ? new Date() : null,
    })
    .execute();
  if (recording.transcriptId) {
    const text = `hello this is ${company.word} calling about ${recording.word} thank you`;
    await env.ownerDb
      .insertInto('transcripts')
      .values({
        id: recording.transcriptId,
        company_id: company.id,
        recording_id: recording.id,
        status: 'completed',
        source: 'twilio',
        language: 'en',
        text,
        segments: JSON.stringify([{ speaker: 'agent', startSeconds: 0, endSeconds: 3, text }]),
      })
      .execute();
  }
  world.recordings.push(recording);
}

/** Inserts a world as the schema owner (no RLS: fast), uploads its audio and refreshes the rollups. */
export async function buildWorld(env: TestEnvironment, shape: WorldShape): Promise<World> {
  const superSubject = `super-${hex(8)}`;
  const superadminRow = await env.ownerDb.insertInto('platform_admins').values({ subject: superSubject }).returning('id').executeTakeFirstOrThrow();
  const world: World = {
    companies: [],
    users: [],
    calls: [],
    recordings: [],
    events: [],
    superadmin: { role: 'superadmin', id: superadminRow.id, companyId: null, subject: superSubject, token: await tokenFor(env, superSubject, 3600) },
    principals: [],
  };
  for (const companyShape of shape.companies) {
    const id = randomUUID();
    const name = `Co${hex(5)}`;
    await env.ownerDb.insertInto('companies').values({ id, name }).execute();
    const admin = await insertUser(env, id, 'company_admin', null);
    const managers: WorldUser[] = [];
    const agents: WorldUser[] = [];
    for (const size of companyShape.teams) {
      const manager = await insertUser(env, id, 'manager', null);
      managers.push(manager);
      for (let index = 0; index < size; index += 1) agents.push(await insertUser(env, id, 'agent', manager.id));
    }
    const twilio = { accountSid: fakeTwilioAccountSid(), authToken: `tok${hex(14)}` };
    const vapi = { orgId: `org-${hex(8)}`, apiKey: `vkey${hex(14)}`, webhookSecret: `vsec${hex(14)}` };
    const [twilioRow, vapiRow] = await withCompany(env.db, id, async (tx) => [
      await upsertProviderAccount(tx, env.box, { provider: 'twilio', externalId: twilio.accountSid, secrets: { authToken: twilio.authToken } }),
      await upsertProviderAccount(tx, env.box, {
        provider: 'vapi',
        externalId: vapi.orgId,
        secrets: { apiKey: vapi.apiKey, webhookSecret: vapi.webhookSecret },
      }),
    ]);
    const users = [admin, ...managers, ...agents];
    const company: WorldCompany = {
      id,
      name,
      word: `k${hex(6)}`,
      admin,
      managers,
      agents,
      twilio: { ...twilio, accountId: twilioRow.id },
      vapi: { ...vapi, accountId: vapiRow.id },
      numbers: [],
    };
    for (let index = 0; index < companyShape.registeredNumbers; index += 1) {
      const owner = index === 0 ? null : users[(index * 3) % users.length]!.id;
      const number = { id: randomUUID(), companyId: id, e164: distinctNumber(), ownerUserId: owner };
      await env.ownerDb
        .insertInto('phone_numbers')
        .values({ id: number.id, company_id: id, e164: number.e164, match_on: 'to', owner_user_id: owner, label: `label${hex(4)}` })
        .execute();
      company.numbers.push(number);
    }
    world.companies.push(company);
    world.users.push(...users);
    for (const [index, user] of users.entries()) {
      for (const call of companyShape.callsPerUser[index] ?? []) await insertCall(env, company, user.id, call, world);
    }
    for (const call of companyShape.unownedCalls) await insertCall(env, company, null, call, world);
    const marker = `evt${hex(6)}`;
    const event = await env.ownerDb
      .insertInto('webhook_events')
      .values({
        company_id: id,
        provider: 'twilio',
        event_type: 'call-status',
        idempotency_key: `${twilio.accountSid}:${marker}`,
        status: 'accepted',
        external_account_id: twilio.accountSid,
        payload: JSON.stringify({ marker }),
        request_path: '/webhooks/twilio/call-status',
        applied_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    world.events.push({ id: event.id, companyId: id, marker });
  }
  const marker = `evt${hex(6)}`;
  const quarantined = await env.ownerDb
    .insertInto('webhook_events')
    .values({
      company_id: null,
      provider: 'twilio',
      event_type: 'call-status',
      idempotency_key: `quarantined:${marker}`,
      status: 'quarantined',
      reason: 'no tenant',
      payload: JSON.stringify({ marker }),
      request_path: '/webhooks/twilio/call-status',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  world.events.push({ id: quarantined.id, companyId: null, marker });
  await withPlatform(env.db, (tx) => refreshDirtyRollups(tx, 100_000));
  world.principals = [...world.users, world.superadmin];
  return world;
}

/**
 * Another principal like an existing one (same company and role): the per-user rate limit
 * (600/min) would otherwise throttle a test that sends hundreds of requests as one user.
 */
export async function freshPrincipal(env: TestEnvironment, like: Principal): Promise<Principal> {
  if (like.role === 'superadmin') {
    const subject = `super-${hex(8)}`;
    const row = await env.ownerDb.insertInto('platform_admins').values({ subject }).returning('id').executeTakeFirstOrThrow();
    return { role: 'superadmin', id: row.id, companyId: null, subject, token: await tokenFor(env, subject, 3600) };
  }
  return insertUser(env, like.companyId, like.role, like.managerId);
}
