import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recording } from '@callvault/db';
import {
  auditTrail,
  createRecordingsWorld,
  randomUUID,
  seedCall,
  seedCallWithRecording,
  seedRecording,
  walk,
  type RecordingsWorld,
} from './recordings-test-kit';

let world: RecordingsWorld;
const inA: Recording[] = [];
let deletedInA: Recording;
let inB: Recording;

type Item = { id: string; companyId: string; ownerUserId: string | null };

beforeAll(async () => {
  world = await createRecordingsWorld();
  const { env, a, b, users } = world;
  const owners = [users.agentA.id, users.agentA2.id, users.managerA.id, users.managerA2.id, null, users.adminA.id];
  // 36 recordings with ties everywhere a keyset can trip: equal durations, timestamps one
  // microsecond apart (a millisecond cursor would skip rows), missing values (they come last).
  for (let index = 0; index < 36; index += 1) {
    const micros = String(100 + (index % 4)).padStart(6, '0');
    const call = await seedCall(env, a.id, {
      ownerUserId: owners[index % owners.length]!,
      startedAt: index % 7 === 0 ? null : `2024-05-${String(1 + (index % 5)).padStart(2, '0')}T10:00:00.${micros}Z`,
      durationSeconds: index % 9 === 0 ? null : [30, 60, 60, 90][index % 4]!,
      createdAt: `2024-06-01T00:00:0${index % 3}.${micros}Z`,
      from: `+1312555${String(1000 + index)}`,
      direction: index % 2 === 0 ? 'inbound' : 'outbound',
    });
    inA.push(
      await seedRecording(env, call, {
        status: index % 10 === 3 ? 'failed' : 'stored',
        starred: index % 3 === 0,
        archived: index % 4 === 1,
        category: index % 5 === 0 ? 'sales' : null,
        createdAt: `2024-06-01T00:00:0${index % 3}.${micros}Z`,
      }),
    );
  }
  deletedInA = (await seedCallWithRecording(env, a.id, users.agentA.id, { status: 'deleted' })).recording;
  inB = (await seedCallWithRecording(env, b.id, users.agentB.id, { from: '+13125551004' })).recording;
});

afterAll(async () => {
  await world?.close();
});

const COLUMN = { startedAt: 'started_at', duration: 'duration_seconds', createdAt: 'created_at' } as const;

/** The order the API promises, computed by Postgres itself: nulls last both ways, then id. */
async function expectedOrder(companyId: string, sortBy: keyof typeof COLUMN, sortOrder: 'asc' | 'desc'): Promise<string[]> {
  const direction = sql.raw(sortOrder);
  const rows = await sql<{ id: string }>`
    SELECT id FROM recordings WHERE company_id = ${companyId} AND status <> 'deleted'
    ORDER BY ${sql.ref(COLUMN[sortBy])} ${direction} NULLS LAST, id ${direction}`.execute(world.env.ownerDb);
  return rows.rows.map((row) => row.id);
}

const ids = (items: Item[]) => items.map((item) => item.id);

describe('GET /v1/recordings: keyset pages', () => {
  for (const sortBy of ['startedAt', 'duration', 'createdAt'] as const) {
    for (const sortOrder of ['asc', 'desc'] as const) {
      it(`walks every page by ${sortBy} ${sortOrder} without a gap or a repeat`, async () => {
        const { items, pages } = await walk<Item>(world, world.tokens.adminA, '/v1/recordings', `limit=4&sortBy=${sortBy}&sortOrder=${sortOrder}`);
        expect(pages).toBe(9);
        expect(ids(items)).toEqual(await expectedOrder(world.a.id, sortBy, sortOrder));
      });
    }
  }

  it('reaches the last row one by one (36 pages deep) exactly as in one page', async () => {
    const single = await walk<Item>(world, world.tokens.adminA, '/v1/recordings', 'limit=1&sortBy=duration&sortOrder=desc');
    const whole = await world.call(world.tokens.adminA, 'GET', '/v1/recordings?limit=100&sortBy=duration&sortOrder=desc');
    expect(single.pages).toBe(36);
    expect(ids(single.items)).toEqual(ids(whole.json().items));
    expect(whole.json().nextCursor).toBeNull();
  });

  it('keeps filters across pages', async () => {
    const { items } = await walk<Item & { starred: boolean }>(world, world.tokens.adminA, '/v1/recordings', 'limit=2&starred=true&sortBy=startedAt');
    expect(items.map((item) => item.id).sort()).toEqual(
      inA
        .filter((row) => row.starred)
        .map((row) => row.id)
        .sort(),
    );
  });

  it('refuses a tampered cursor, and one replayed with another filter, sort, list or company (400 invalid_cursor)', async () => {
    const first = await world.call(world.tokens.adminA, 'GET', '/v1/recordings?limit=2&sortBy=duration');
    const cursor: string = first.json().nextCursor;
    const [payload, signature] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), v: 1 })).toString('base64url');
    const attempts = [
      `/v1/recordings?limit=2&sortBy=duration&cursor=${forged}.${signature}`,
      `/v1/recordings?limit=2&sortBy=duration&cursor=${cursor.slice(0, -2)}xx`,
      '/v1/recordings?limit=2&sortBy=duration&cursor=garbage',
      `/v1/recordings?limit=2&sortBy=startedAt&cursor=${encodeURIComponent(cursor)}`,
      `/v1/recordings?limit=2&sortBy=duration&sortOrder=asc&cursor=${encodeURIComponent(cursor)}`,
      `/v1/recordings?limit=2&sortBy=duration&starred=true&cursor=${encodeURIComponent(cursor)}`,
      `/v1/calls?limit=2&sortBy=duration&cursor=${encodeURIComponent(cursor)}`,
    ];
    for (const url of attempts) {
      const response = await world.call(world.tokens.adminA, 'GET', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code, url).toBe('invalid_cursor');
    }
    // The same listing by another company, or by someone whose scope differs, does not continue.
    for (const token of [world.tokens.adminB, world.tokens.managerA, world.tokens.superadmin]) {
      const replay = await world.call(token, 'GET', `/v1/recordings?limit=2&sortBy=duration&cursor=${encodeURIComponent(cursor)}`);
      expect(replay.statusCode).toBe(400);
    }
    // A different limit is the same listing: the cursor continues.
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/recordings?limit=5&sortBy=duration&cursor=${encodeURIComponent(cursor)}`)).statusCode).toBe(200);
  });

  it('answers 400 to a limit outside 1–100, unknown parameters and bad values', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'sortBy=size',
      'sortOrder=up',
      'status=deleted',
      'owner=me',
      'from=yesterday',
      'ownerUserId=42',
      'starred=yes',
    ]) {
      const response = await world.call(world.tokens.adminA, 'GET', `/v1/recordings?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        errors: [{ pointer: expect.stringMatching(/^\/query\//), detail: expect.any(String) }],
      });
    }
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/recordings?limit=100')).json().items).toHaveLength(36);
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/recordings')).json().items).toHaveLength(25);
  });
});

describe('GET /v1/recordings: who sees what', () => {
  const everything = async (token: string, query = '') => ids((await walk<Item>(world, token, '/v1/recordings', `limit=100${query}`)).items).sort();
  const ownedBy = (...owners: Array<string | null>) =>
    inA
      .filter((row) => owners.includes(row.owner_user_id))
      .map((row) => row.id)
      .sort();

  it('agent: own only; manager: own and direct reports, not another manager or their agents; admin: the company', async () => {
    const { users, tokens } = world;
    expect(await everything(tokens.agentA)).toEqual(ownedBy(users.agentA.id));
    expect(await everything(tokens.managerA)).toEqual(ownedBy(users.managerA.id, users.agentA.id));
    expect(await everything(tokens.managerA2)).toEqual(ownedBy(users.managerA2.id, users.agentA2.id));
    expect(await everything(tokens.adminA)).toEqual(inA.map((row) => row.id).sort());
    expect(await everything(tokens.agentB)).toEqual([inB.id]);
    // Filtering by someone outside the scope narrows to nothing; it never widens.
    expect(await everything(tokens.agentA, `&ownerUserId=${users.agentA2.id}`)).toEqual([]);
    expect(await everything(tokens.managerA, `&ownerUserId=${users.agentA.id}`)).toEqual(ownedBy(users.agentA.id));
  });

  it('never shows a deleted recording or another company', async () => {
    const all = await everything(world.tokens.adminA);
    expect(all).not.toContain(deletedInA.id);
    expect(all).not.toContain(inB.id);
    const response = await world.call(world.tokens.adminA, 'GET', '/v1/recordings?limit=100&search=5551004');
    expect(response.body).not.toContain(world.b.id);
    expect(ids(response.json().items)).toEqual([inA[4]!.id]);
  });

  it('answers 404 when a company user names another company, and accepts their own', async () => {
    const other = await world.call(world.tokens.adminA, 'GET', `/v1/recordings?companyId=${world.b.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ status: 404, code: 'not_found', detail: 'company not found' });
    expect((await world.call(world.tokens.agentA, 'GET', `/v1/recordings?companyId=${world.a.id}`)).statusCode).toBe(200);
  });

  it('superadmin: every company, or the one it names (404 if none), each read audited as company.read', async () => {
    const before = (await auditTrail(world.env, world.a.id, 'company.read')).length;
    const all = await everything(world.tokens.superadmin);
    expect(all).toEqual([...inA.map((row) => row.id), inB.id].sort());
    const onlyB = await world.call(world.tokens.superadmin, 'GET', `/v1/recordings?companyId=${world.b.id}`);
    expect(ids(onlyB.json().items)).toEqual([inB.id]);
    expect((await world.call(world.tokens.superadmin, 'GET', `/v1/recordings?companyId=${randomUUID()}`)).statusCode).toBe(404);

    const trailA = await auditTrail(world.env, world.a.id, 'company.read');
    expect(trailA.length).toBe(before + 1);
    const trailB = await auditTrail(world.env, world.b.id, 'company.read');
    expect(trailB).toHaveLength(2);
    expect(trailB[1]).toMatchObject({
      actor_role: 'superadmin',
      actor_subject: world.superadminSubject,
      target_type: 'company',
      target_id: world.b.id,
      details: { resource: 'recordings' },
    });
    // Company users' lists are not audited.
    await everything(world.tokens.adminA);
    expect(await auditTrail(world.env, world.a.id, 'company.read')).toHaveLength(trailA.length);
  });

  it('filters by status, direction, category, starred, archived, time and search (number or owner name)', async () => {
    const token = world.tokens.adminA;
    const expectIds = async (query: string, predicate: (row: Recording) => boolean) =>
      expect(await everything(token, `&${query}`), query).toEqual(
        inA
          .filter(predicate)
          .map((row) => row.id)
          .sort(),
      );
    await expectIds('status=failed', (row) => row.status === 'failed');
    await expectIds('direction=outbound', (row) => row.direction === 'outbound');
    await expectIds('category=sales', (row) => row.category === 'sales');
    await expectIds('starred=false', (row) => !row.starred);
    await expectIds('archived=true', (row) => row.archived);
    await expectIds(
      'from=2024-05-02T00:00:00Z&to=2024-05-04T00:00:00Z',
      (row) => row.started_at !== null && row.started_at >= new Date('2024-05-02') && row.started_at < new Date('2024-05-04'),
    );
    await expectIds(`search=${encodeURIComponent('(312) 555-1007')}`, (row) => row.from_number === '+13125551007');
    await expectIds('search=manager', (row) => row.owner_user_id === world.users.managerA.id || row.owner_user_id === world.users.managerA2.id);
    await expectIds('search=%25', () => false);
  });
});

describe('GET /v1/recordings/{id}', () => {
  it('shows a recording in scope as camelCase JSON, and 404 for anything else', async () => {
    const own = inA.find((row) => row.owner_user_id === world.users.agentA.id)!;
    const response = await world.call(world.tokens.agentA, 'GET', `/v1/recordings/${own.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: own.id,
      callId: own.call_id,
      companyId: world.a.id,
      ownerUserId: world.users.agentA.id,
      status: own.status,
      legalHold: false,
      hasTranscript: false,
    });

    const notOwn = inA.find((row) => row.owner_user_id === world.users.agentA2.id)!;
    for (const [token, id] of [
      [world.tokens.agentA, notOwn.id],
      [world.tokens.managerA, notOwn.id],
      [world.tokens.adminB, own.id],
      [world.tokens.adminA, deletedInA.id],
      [world.tokens.adminA, inB.id],
      [world.tokens.adminA, randomUUID()],
    ] as const) {
      const missing = await world.call(token, 'GET', `/v1/recordings/${id}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ status: 404, code: 'not_found', detail: 'recording not found' });
    }
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/recordings/not-a-uuid')).statusCode).toBe(400);
  });

  it("audits a superadmin's read in the recording's company", async () => {
    const response = await world.call(world.tokens.superadmin, 'GET', `/v1/recordings/${inB.id}`);
    expect(response.statusCode).toBe(200);
    const trail = await auditTrail(world.env, world.b.id, 'recording.read');
    expect(trail.at(-1)).toMatchObject({ target_id: inB.id, actor_role: 'superadmin', user_agent: 'recordings-test' });
    await world.call(world.tokens.adminB, 'GET', `/v1/recordings/${inB.id}`);
    expect(await auditTrail(world.env, world.b.id, 'recording.read')).toHaveLength(trail.length);
  });
});

describe('OpenAPI', () => {
  it('documents the call, recording, transcript and media routes', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const { paths } = response.json();
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/calls',
        '/v1/calls/{id}',
        '/v1/recordings',
        '/v1/recordings/{id}',
        '/v1/recordings/{id}/playback',
        '/v1/recordings/{id}/download',
        '/v1/recordings/{id}/legal-hold',
        '/v1/recordings/{id}/transcript',
        '/v1/recordings/{id}/analyze',
        '/v1/recordings/bulk/{action}',
        '/v1/recordings/cleanup',
        '/media/{id}',
      ]),
    );
    expect(paths['/media/{id}'].get.security).toEqual([]);
    expect(Object.keys(paths['/v1/recordings/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});
