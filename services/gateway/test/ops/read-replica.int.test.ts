import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '@callvault/db';
import { havePostgresServerTools, startOwnPostgresCluster, startStreamingReplica, waitFor, type OwnPostgresCluster } from '@callvault/testing';
import { createRecordingsWorld, seedCall, seedRecording, seedTranscript, type RecordingsWorld } from '../recordings/recordings-test-kit';

/**
 * DATABASE_READ_URL against a real streaming replica (our own primary and a pg_basebackup of it,
 * both from Debian's server tools). Replay on the replica is paused while a test changes the
 * primary, so "served by the replica" and "served by the primary" give different answers.
 */
let primary: OwnPostgresCluster;
let replica: OwnPostgresCluster;
let world: RecordingsWorld;
const PIN_SECONDS = 4;
const MAX_LAG_SECONDS = 2;

const onServer = (serverUrl: string, database: string) => serverUrl.replace(/\/postgres$/, `/${database}`);
const asAppRole = (url: string) => url.replace('postgres://postgres@', 'postgres://callvault_app@');

async function onReplica<T>(work: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: onServer(replica.serverUrl, 'callvault'), max: 1 }) }),
  });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const pauseReplay = () => onReplica((db) => sql`SELECT pg_wal_replay_pause()`.execute(db));
const resumeReplay = () => onReplica((db) => sql`SELECT pg_wal_replay_resume()`.execute(db));

const metric = async (pattern: string) => {
  const metrics = (await world.app.inject({ method: 'GET', url: '/metrics' })).body;
  return Number(metrics.match(new RegExp(pattern))?.[1] ?? Number.NaN);
};

/** Until the replica has replayed everything the primary has written so far, and the gateway has seen it. */
async function replicaCaughtUp(): Promise<void> {
  const target = (await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(world.env.ownerDb)).rows[0]!.lsn;
  await waitFor(
    () => onReplica(async (db) => (await sql<{ done: boolean }>`SELECT pg_last_wal_replay_lsn() >= ${target}::pg_lsn AS done`.execute(db)).rows[0]!.done),
    { what: 'the replica to replay the primary' },
  );
  await waitFor(async () => (await metric('callvault_gateway_replica_lag_seconds\\{[^}]*\\} ([0-9.e+-]+)')) < 1, {
    what: 'the gateway to see the replica caught up',
  });
}

const listedIds = (response: { json(): { items: Array<{ id: string }> } }) => response.json().items.map((item) => item.id);

const tagsIn = (response: { json(): { items: Array<{ id: string; tags?: string[] }> } }, id: string) =>
  response.json().items.find((item) => item.id === id)?.tags;
const servedBy = async (target: 'replica' | 'primary') => {
  const served = await metric(`callvault_gateway_replica_reads_total\\{[^}]*target="${target}"[^}]*\\} (\\d+)`);
  return Number.isNaN(served) ? 0 : served;
};

beforeAll(async () => {
  if (!havePostgresServerTools) return;
  primary = await startOwnPostgresCluster();
  const server = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: primary.serverUrl, max: 1 }) }) });
  await sql`CREATE DATABASE callvault`.execute(server);
  await server.destroy();
  const owner = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: onServer(primary.serverUrl, 'callvault'), max: 1 }) }),
  });
  await migrateToLatest(owner);
  await owner.destroy();
  replica = await startStreamingReplica(primary);
  world = await createRecordingsWorld({
    DATABASE_URL: onServer(primary.serverUrl, 'callvault'),
    DATABASE_READ_URL: asAppRole(onServer(replica.serverUrl, 'callvault')),
    DATABASE_READ_PIN_SECONDS: String(PIN_SECONDS),
    DATABASE_READ_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
  replica?.close();
  primary?.close();
});

describe.skipIf(!havePostgresServerTools)('gateway reads on a streaming replica (DATABASE_READ_URL)', () => {
  it('serves lists from the replica while it is close behind, and from the primary once it lags more than DATABASE_READ_MAX_LAG_SECONDS', async () => {
    const { env, tokens, a, users, call } = world;
    await replicaCaughtUp();
    await pauseReplay();
    try {
      // Written straight to the primary (as ingest would): nothing pins the company.
      const recording = await seedRecording(env, await seedCall(env, a.id, { ownerUserId: users.agentA.id }));
      const beforeReplay = await servedBy('replica');

      const listed = await call(tokens.adminA, 'GET', '/v1/recordings?limit=100');

      expect(listed.statusCode).toBe(200);
      expect(listedIds(listed)).not.toContain(recording.id);
      expect(await servedBy('replica')).toBe(beforeReplay + 1);
      // A single item is read from the primary: it is there.
      expect((await call(tokens.adminA, 'GET', `/v1/recordings/${recording.id}`)).statusCode).toBe(200);

      // Replay stays paused: past the lag bound, lists come from the primary.
      await new Promise((resolve) => setTimeout(resolve, (MAX_LAG_SECONDS + 1) * 1000));
      expect(listedIds(await call(tokens.adminA, 'GET', '/v1/recordings?limit=100'))).toContain(recording.id);
    } finally {
      await resumeReplay();
    }
  });

  it('pins the whole company of a writer to the primary: its other users read the write at once; another company still reads the replica', async () => {
    const { env, tokens, a, users, call } = world;
    const recording = await seedRecording(env, await seedCall(env, a.id, { ownerUserId: users.agentA.id }), { tags: ['before'] });
    await replicaCaughtUp();
    await pauseReplay();
    try {
      const tag = `after-${randomUUID().slice(0, 8)}`;
      expect((await call(tokens.managerA, 'PATCH', `/v1/recordings/${recording.id}`, { tags: [tag] })).statusCode).toBe(200);
      const replicaReads = await servedBy('replica');

      expect(tagsIn(await call(tokens.managerA, 'GET', '/v1/recordings?limit=100'), recording.id)).toEqual([tag]);
      expect(tagsIn(await call(tokens.adminA, 'GET', '/v1/recordings?limit=100'), recording.id)).toEqual([tag]);
      expect(await servedBy('replica')).toBe(replicaReads);
      expect((await call(tokens.adminB, 'GET', '/v1/recordings?limit=100')).statusCode).toBe(200);
      expect(await servedBy('replica')).toBe(replicaReads + 1);
    } finally {
      await resumeReplay();
    }
  });

  it('lists and finds a deleted recording for nobody in its company, from the moment of the deletion', async () => {
    const { env, tokens, a, users, call } = world;
    const word = `zebra${randomUUID().slice(0, 8)}`;
    const recording = await seedRecording(env, await seedCall(env, a.id, { ownerUserId: users.agentA.id }));
    await seedTranscript(env, recording, `the patient said ${word} twice`);
    await replicaCaughtUp();
    const found = async (token: string) => ({
      listed: listedIds(await call(token, 'GET', '/v1/recordings?limit=100')).includes(recording.id),
      searched: JSON.stringify((await call(token, 'GET', `/v1/search?q=${word}`)).json()).includes(recording.id),
    });
    expect(await found(tokens.agentA)).toEqual({ listed: true, searched: true });
    await pauseReplay();
    try {
      expect((await call(tokens.adminA, 'DELETE', `/v1/recordings/${recording.id}`)).statusCode).toBe(204);
      expect(await found(tokens.agentA)).toEqual({ listed: false, searched: false });
      // Past the pin, the replica (still paused) lags more than the bound: still the primary.
      await new Promise((resolve) => setTimeout(resolve, PIN_SECONDS * 1000 + 300));
      expect(await found(tokens.adminA)).toEqual({ listed: false, searched: false });
    } finally {
      await resumeReplay();
    }
  });

  it('writes the audit events of a replica read on the primary, before the answer', async () => {
    const { env, tokens, a, call } = world;
    await replicaCaughtUp();
    await pauseReplay();
    try {
      const before = await servedBy('replica');
      const response = await call(tokens.superadmin, 'GET', `/v1/recordings?companyId=${a.id}&limit=5`);
      expect(response.statusCode).toBe(200);
      expect(response.json().items.length).toBeGreaterThan(0);
      expect(await servedBy('replica')).toBe(before + 1);
      const audited = await env.ownerDb
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('company_id', '=', a.id)
        .where('actor_role', '=', 'superadmin')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      expect(audited).toMatchObject({ details: { resource: 'recordings' } });
    } finally {
      await resumeReplay();
    }
  });

  it('answers stats and search from the replica too', async () => {
    const { tokens, call } = world;
    await replicaCaughtUp();
    const before = await servedBy('replica');
    expect((await call(tokens.adminA, 'GET', '/v1/recordings/stats')).statusCode).toBe(200);
    expect((await call(tokens.adminA, 'GET', '/v1/search?q=refund')).statusCode).toBe(200);
    expect(await servedBy('replica')).toBe(before + 2);
  });
});
