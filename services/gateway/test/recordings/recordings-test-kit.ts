import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Call, Company, Recording, User } from '@callvault/db';
import { recordingKey } from '@callvault/storage';
import { removeRecordingObject } from '@callvault/erasure';
import { createRedis, runWorker } from '@callvault/queue';
import { createTestEnvironment, seedCompany, seedSuperadmin, seedUser, tokenFor, waitFor, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';
import { bearerCaller, type BearerCall } from '../bearer-caller';

/**
 * Two companies and every role. In A: an admin, two managers each with one agent (the managers
 * must not see each other's agents). In B: an admin and an agent. Plus a superadmin.
 */
export interface RecordingsWorld {
  env: TestEnvironment;
  app: FastifyInstance;
  a: Company;
  b: Company;
  users: { adminA: User; managerA: User; agentA: User; managerA2: User; agentA2: User; adminB: User; agentB: User };
  tokens: { adminA: string; managerA: string; agentA: string; managerA2: string; agentA2: string; adminB: string; agentB: string; superadmin: string };
  superadminSubject: string;
  /** `app.inject` with the token's Bearer header; `body` is sent as JSON. */
  call: BearerCall;
  /** Waits until a deleted recording's object is gone from storage and its tombstone dropped the key. */
  objectRemoved(recording: Pick<Recording, 'id' | 'storage_key'>): Promise<void>;
  close(): Promise<void>;
}

export async function createRecordingsWorld(overrides: Record<string, string> = {}): Promise<RecordingsWorld> {
  const env = await createTestEnvironment(overrides);
  const app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  // The operations worker's part of a deletion: the gateway's outbox relay hands it the removals.
  const workerRedis = createRedis(env.redis, 'worker');
  const removals = runWorker({
    queue: 'object-removal',
    connection: workerRedis,
    prefix: env.config.QUEUE_PREFIX,
    concurrency: 2,
    log: env.log,
    process: (payload) => removeRecordingObject(env, payload),
  });
  const a = await seedCompany(env, 'Company A');
  const b = await seedCompany(env, 'Company B');
  const adminA = await seedUser(env, a.id, 'company_admin');
  const managerA = await seedUser(env, a.id, 'manager');
  const agentA = await seedUser(env, a.id, 'agent', { managerId: managerA.id });
  const managerA2 = await seedUser(env, a.id, 'manager');
  const agentA2 = await seedUser(env, a.id, 'agent', { managerId: managerA2.id });
  const adminB = await seedUser(env, b.id, 'company_admin');
  const agentB = await seedUser(env, b.id, 'agent');
  const superadmin = await seedSuperadmin(env);
  const users = { adminA, managerA, agentA, managerA2, agentA2, adminB, agentB };
  const tokens = {
    adminA: await tokenFor(env, adminA.subject),
    managerA: await tokenFor(env, managerA.subject),
    agentA: await tokenFor(env, agentA.subject),
    managerA2: await tokenFor(env, managerA2.subject),
    agentA2: await tokenFor(env, agentA2.subject),
    adminB: await tokenFor(env, adminB.subject),
    agentB: await tokenFor(env, agentB.subject),
    superadmin: await tokenFor(env, superadmin.subject),
  };
  return {
    env,
    app,
    a,
    b,
    users,
    tokens,
    superadminSubject: superadmin.subject,
    call: bearerCaller(app, 'recordings-test'),
    async objectRemoved(recording) {
      await waitFor(
        async () =>
          (await env.ownerDb.selectFrom('recordings').select('storage_key').where('id', '=', recording.id).executeTakeFirstOrThrow()).storage_key === null,
        { what: 'the object removal' },
      );
      if (await env.storage.headObject(recording.storage_key!)) throw new Error(`object ${recording.storage_key} is still in storage`);
    },
    async close() {
      await removals.close();
      workerRedis.disconnect();
      await app.close();
      await env.close();
    },
  };
}

export interface CallSeed {
  ownerUserId?: string | null;
  status?: string;
  direction?: string | null;
  from?: string | null;
  to?: string | null;
  startedAt?: string | null;
  durationSeconds?: number | null;
  createdAt?: string;
}

/** A call row, inserted as the schema owner (fixtures are not what is under test). */
export async function seedCall(env: TestEnvironment, companyId: string, seed: CallSeed = {}): Promise<Call> {
  return env.ownerDb
    .insertInto('calls')
    .values({
      company_id: companyId,
      owner_user_id: seed.ownerUserId ?? null,
      provider: 'twilio',
      twilio_call_sid: `CA${randomBytes(16).toString('hex')}`,
      from_number: seed.from === undefined ? '+13125550100' : seed.from,
      to_number: seed.to === undefined ? '+13125550199' : seed.to,
      direction: seed.direction === undefined ? 'inbound' : seed.direction,
      status: seed.status ?? 'completed',
      status_rank: 0,
      started_at: seed.startedAt === undefined ? '2024-05-01T10:00:00Z' : seed.startedAt,
      duration_seconds: seed.durationSeconds === undefined ? 60 : seed.durationSeconds,
      ...(seed.createdAt ? { created_at: seed.createdAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface RecordingSeed {
  status?: Recording['status'];
  ownerUserId?: string | null;
  startedAt?: string | null;
  durationSeconds?: number | null;
  createdAt?: string;
  from?: string | null;
  to?: string | null;
  direction?: string | null;
  category?: string | null;
  starred?: boolean;
  archived?: boolean;
  legalHold?: boolean;
  tags?: string[];
}

/** A recording of `call` (owner, numbers and start default to the call's). */
export async function seedRecording(env: TestEnvironment, call: Call, seed: RecordingSeed = {}): Promise<Recording> {
  return env.ownerDb
    .insertInto('recordings')
    .values({
      company_id: call.company_id,
      call_id: call.id,
      owner_user_id: seed.ownerUserId === undefined ? call.owner_user_id : seed.ownerUserId,
      provider: 'twilio',
      provider_recording_id: `RE${randomBytes(16).toString('hex')}`,
      status: seed.status ?? 'stored',
      format: 'mp3',
      channels: 1,
      duration_seconds: seed.durationSeconds === undefined ? call.duration_seconds : seed.durationSeconds,
      from_number: seed.from === undefined ? call.from_number : seed.from,
      to_number: seed.to === undefined ? call.to_number : seed.to,
      direction: seed.direction === undefined ? call.direction : seed.direction,
      started_at: seed.startedAt === undefined ? call.started_at : seed.startedAt,
      category: seed.category ?? null,
      starred: seed.starred ?? false,
      archived: seed.archived ?? false,
      legal_hold: seed.legalHold ?? false,
      tags: seed.tags ?? [],
      ...(seed.createdAt ? { created_at: seed.createdAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A call owned by `ownerUserId` with one recording: the usual fixture. */
export async function seedCallWithRecording(env: TestEnvironment, companyId: string, ownerUserId: string | null, seed: CallSeed & RecordingSeed = {}) {
  const call = await seedCall(env, companyId, { ...seed, ownerUserId });
  const recording = await seedRecording(env, call, seed);
  return { call, recording };
}

/** Uploads `bytes` under the recording's key, as the fetcher would, and marks the row stored. */
export async function storeAudio(env: TestEnvironment, recording: Recording, bytes: Buffer): Promise<Recording> {
  const key = recordingKey({
    companyId: recording.company_id,
    callId: recording.call_id,
    recordingId: recording.id,
    startedAt: recording.started_at ?? recording.created_at,
    extension: 'mp3',
  });
  const stored = await env.storage.uploadStream({
    key,
    body: Readable.from([bytes]),
    contentType: 'audio/mpeg',
    metadata: { companyid: recording.company_id },
  });
  return env.ownerDb
    .updateTable('recordings')
    .set({ status: 'stored', storage_key: key, size_bytes: stored.sizeBytes, sha256: stored.sha256, stored_at: new Date() })
    .where('id', '=', recording.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function seedTranscript(env: TestEnvironment, recording: Recording, text = 'hello there. general kenobi.') {
  await env.ownerDb
    .insertInto('transcripts')
    .values({
      company_id: recording.company_id,
      recording_id: recording.id,
      status: 'completed',
      source: 'twilio',
      language: 'en',
      text,
      segments: JSON.stringify([
        { speaker: 'agent', startSeconds: 0, endSeconds: 1.5, text: 'hello there.' },
        { speaker: 'customer', startSeconds: 1.5, endSeconds: 3, text: 'general kenobi.' },
      ]),
      redaction_count: 2,
    })
    .execute();
  await env.ownerDb.updateTable('recordings').set({ has_transcript: true }).where('id', '=', recording.id).execute();
}

export async function seedMetrics(env: TestEnvironment, recording: Recording, metrics: Record<string, unknown> = { talkRatio: 0.6, silenceSeconds: 4 }) {
  await env.ownerDb
    .insertInto('call_metrics')
    .values({
      company_id: recording.company_id,
      recording_id: recording.id,
      call_id: recording.call_id,
      metrics: JSON.stringify(metrics),
      computed_at: new Date(),
    })
    .execute();
}

/** A Twilio transcription callback of the call as ingest stores it: its numbers, the words, and `extra` fields. */
export async function seedProviderEvent(env: TestEnvironment, call: Call, words: string, extra: Record<string, string> = {}) {
  await env.ownerDb
    .insertInto('webhook_events')
    .values({
      company_id: call.company_id,
      provider: 'twilio',
      event_type: 'transcription',
      idempotency_key: `AC:${call.twilio_call_sid}:${randomUUID()}`,
      status: 'accepted',
      call_ref: call.twilio_call_sid,
      payload: JSON.stringify({ CallSid: call.twilio_call_sid, From: call.from_number, To: call.to_number, TranscriptionText: words, ...extra }),
      request_path: '/webhooks/twilio/transcription',
    })
    .execute();
}

export type ScorecardAnswer = 'yes' | 'no' | 'not_applicable';

/** A completed model analysis of `recording` answering each question id as given (quotes are made up). */
export async function seedAnalysis(
  env: TestEnvironment,
  recording: Recording,
  seed: { summary?: string; topics?: string[]; answers?: Record<string, ScorecardAnswer>; completedAt?: Date } = {},
) {
  const scorecard = Object.entries(seed.answers ?? {}).map(([questionId, answer]) => ({
    questionId,
    question: `question ${questionId}?`,
    answer,
    evidence: answer === 'not_applicable' ? [] : [{ quote: 'hello there general kenobi', atSeconds: 0, speaker: 'agent' }],
  }));
  const result = {
    summary: seed.summary ?? 'A short call.',
    topics: seed.topics ?? [],
    actionItems: [],
    sentiment: [],
    scorecard,
    droppedQuotes: 0,
    repaired: false,
  };
  await env.ownerDb
    .insertInto('call_analyses')
    .values({
      company_id: recording.company_id,
      recording_id: recording.id,
      call_id: recording.call_id,
      status: 'completed',
      model: 'sim-model',
      completed_at: seed.completedAt ?? new Date(),
      result: JSON.stringify(result),
    })
    .execute();
}

export function audioBytes(size: number): Buffer {
  return randomBytes(size);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The company's audit trail as the schema owner sees it, oldest first. */
export async function auditTrail(env: TestEnvironment, companyId: string, action?: string) {
  let query = env.ownerDb.selectFrom('audit_events').selectAll().where('company_id', '=', companyId);
  if (action) query = query.where('action', '=', action);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** Every page of a listing, following nextCursor; fails the test on any non-200. */
export async function walk<T = { id: string }>(world: RecordingsWorld, token: string, path: string, query: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await world.call(token, 'GET', `${path}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (response.statusCode !== 200) throw new Error(`page ${pages + 1} of ${path}?${query}: ${response.statusCode} ${response.body}`);
    items.push(...response.json().items);
    cursor = response.json().nextCursor;
    pages += 1;
  } while (cursor && pages < 1000);
  return { items, pages };
}

export { randomUUID };
