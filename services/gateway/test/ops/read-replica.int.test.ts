import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '@callvault/db';
import { havePostgresServerTools, startOwnPostgresCluster, startStreamingReplica, waitFor, type OwnPostgresCluster } from '@callvault/testing';
import { createRecordingsWorld, seedCall, seedRecording, type RecordingsWorld } from '../recordings/recordings-test-kit';

/**
 * DATABASE_READ_URL against a real streaming replica (our own primary and a pg_basebackup of it,
 * both from Debian's server tools). Replay on the replica is paused while a test changes the
 * primary, so "served by the replica" and "served by the primary" give different answers.
 */
let primary: OwnPostgresCluster;
let replica: OwnPostgresCluster;
let world: RecordingsWorld;
const PIN_SECONDS = 2;

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

/** Until the replica has replayed everything the primary has written so far. */
async function replicaCaughtUp(): Promise<void> {
  const target = (await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(world.env.ownerDb)).rows[0]!.lsn;
  await waitFor(
    () => onReplica(async (db) => (await sql<{ done: boolean }>`SELECT pg_last_wal_replay_lsn() >= ${target}::pg_lsn AS done`.execute(db)).rows[0]!.done),
    { what: 'the replica to replay the primary' },
  );
}

const tagsIn = (response: { json(): { items: Array<{ id: string; tags?: string[] }> } }, id: string) =>
  response.json().items.find((item) => item.id === id)?.tags;
const servedBy = async (target: 'replica' | 'primary') => {
  const metrics = (await world.app.inject({ method: 'GET', url: '/metrics' })).body;
  return Number(metrics.match(new RegExp(`callvault_gateway_replica_reads_total\\{[^}]*target="${target}"[^}]*\\} (\\d+)`))?.[1] ?? 0);
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
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
  replica?.close();
  primary?.close();
});

describe.skipIf(!havePostgresServerTools)('gateway reads on a streaming replica (DATABASE_READ_URL)', () => {
  it('serves lists from the replica: a row the replica has not replayed yet is not listed, and is once it has', async () => {
    const { env, tokens, a, users, call } = world;
    await replicaCaughtUp();
    await pauseReplay();
    let recording: Awaited<ReturnType<typeof seedRecording>>;
    try {
      recording = await seedRecording(env, await seedCall(env, a.id, { ownerUserId: users.agentA.id }));
      const beforeReplay = await servedBy('replica');

      const listed = await call(tokens.adminA, 'GET', '/v1/recordings?limit=100');

      expect(listed.statusCode).toBe(200);
      expect(listed.json().items.map((item: { id: string }) => item.id)).not.toContain(recording.id);
      expect(await servedBy('replica')).toBe(beforeReplay + 1);
      // A single item is read from the primary: it is there.
      expect((await call(tokens.adminA, 'GET', `/v1/recordings/${recording.id}`)).statusCode).toBe(200);
    } finally {
      await resumeReplay();
    }
    await replicaCaughtUp();
    const later = await call(tokens.adminA, 'GET', '/v1/recordings?limit=100');
    expect(later.json().items.map((item: { id: string }) => item.id)).toContain(recording.id);
  });

  it('keeps a caller who wrote on the primary for DATABASE_READ_PIN_SECONDS, across callers: the writer reads its write, another caller the replica', async () => {
    const { env, tokens, a, users, call } = world;
    const recording = await seedRecording(env, await seedCall(env, a.id, { ownerUserId: users.agentA.id }), { tags: ['before'] });
    await replicaCaughtUp();
    await pauseReplay();
    try {
      const tag = `after-${randomUUID().slice(0, 8)}`;
      expect((await call(tokens.managerA, 'PATCH', `/v1/recordings/${recording.id}`, { tags: [tag] })).statusCode).toBe(200);

      const writer = await call(tokens.managerA, 'GET', '/v1/recordings?limit=100');
      const other = await call(tokens.adminA, 'GET', '/v1/recordings?limit=100');

      expect(tagsIn(writer, recording.id)).toEqual([tag]);
      expect(tagsIn(other, recording.id)).toEqual(['before']);
      // The pin ends: the writer is back on the (still paused) replica.
      await new Promise((resolve) => setTimeout(resolve, PIN_SECONDS * 1000 + 300));
      expect(tagsIn(await call(tokens.managerA, 'GET', '/v1/recordings?limit=100'), recording.id)).toEqual(['before']);
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
    const before = await servedBy('replica');
    expect((await call(tokens.adminA, 'GET', '/v1/recordings/stats')).statusCode).toBe(200);
    expect((await call(tokens.adminA, 'GET', '/v1/search?q=refund')).statusCode).toBe(200);
    expect(await servedBy('replica')).toBe(before + 2);
  });
});
