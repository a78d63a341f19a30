import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { createRecordingsWorld, seedCall, seedCallWithRecording, seedTranscript, walk } from './recordings-test-kit';

const world = openForFile(createRecordingsWorld);

type Item = { id: string; updatedAt: string; deletedAt?: string } & Record<string, unknown>;

/**
 * A CRM mirror as docs/integration.md tells one to write it: follow nextCursor to the end, keep the
 * last item's updatedAt, ask again with updatedAfter. A tombstone removes the item.
 */
function mirrorOf(path: string, token: () => string) {
  const items = new Map<string, Item>();
  let updatedAfter: string | null = null;
  return {
    items,
    async poll(): Promise<number> {
      let cursor: string | null = null;
      let seen = 0;
      do {
        const query = new URLSearchParams({ sort: 'updatedAt', limit: '7' });
        if (cursor) query.set('cursor', cursor);
        if (updatedAfter) query.set('updatedAfter', updatedAfter);
        const response = await world().call(token(), 'GET', `${path}?${query}`);
        if (response.statusCode !== 200) throw new Error(`${path}?${query}: ${response.statusCode} ${response.body}`);
        const page = response.json() as { items: Item[]; nextCursor: string | null };
        for (const item of page.items) {
          if (item.deletedAt) items.delete(item.id);
          else items.set(item.id, item);
          updatedAfter = item.updatedAt;
          seen += 1;
        }
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    },
  };
}

const feedOf = async (token: string, path: string, query = '') => {
  const response = await world().call(token, 'GET', `${path}?sort=updatedAt&limit=100${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as Item[];
};

describe('the change feed of /v1/recordings', () => {
  it('keeps a mirror equal to the list through concurrent creations, changes, deletions and late commits', async () => {
    const { env, a, users, tokens } = world();
    const owners = [users.agentA.id, users.agentA2.id, users.managerA.id];
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push((await seedCallWithRecording(env, a.id, owners[index % 3]!)).recording.id);
    const mirror = mirrorOf('/v1/recordings', () => tokens.adminA);

    let changing = true;
    const changer = (async () => {
      for (let step = 0; step < 60; step += 1) {
        const live = ids.filter((id) => id !== '');
        const target = live[Math.floor(Math.random() * live.length)]!;
        const roll = Math.random();
        if (roll < 0.15) {
          ids.push((await seedCallWithRecording(env, a.id, owners[step % 3]!)).recording.id);
        } else if (roll < 0.25 && live.length > 5) {
          const response = await world().call(tokens.adminA, 'DELETE', `/v1/recordings/${target}`);
          expect(response.statusCode, response.body).toBe(204);
          ids[ids.indexOf(target)] = '';
        } else if (roll < 0.4) {
          // A transaction that writes, then stays open while others commit later changes: it
          // commits with the earlier time, which a mirror must still receive.
          await env.ownerDb.transaction().execute(async (tx) => {
            await tx.updateTable('recordings').set({ priority: step }).where('id', '=', target).execute();
            await sleep(80);
          });
        } else {
          const response = await world().call(tokens.managerA, 'PATCH', `/v1/recordings/${target}`, { tags: [`t${step}`], starred: step % 2 === 0 });
          expect([200, 404]).toContain(response.statusCode);
        }
      }
    })().finally(() => {
      changing = false;
    });
    const slowCommits = (async () => {
      while (changing) {
        const live = ids.filter((id) => id !== '');
        await env.ownerDb.transaction().execute(async (tx) => {
          await tx
            .updateTable('recordings')
            .set({ category: `slow-${Date.now()}` })
            .where('id', '=', live[0]!)
            .execute();
          await sleep(150);
        });
      }
    })();
    let polls = 0;
    while (changing) {
      await mirror.poll();
      polls += 1;
    }
    await Promise.all([changer, slowCommits]);
    await mirror.poll();

    const source = await walk<Item>(world(), tokens.adminA, '/v1/recordings', 'limit=100');
    expect(polls).toBeGreaterThan(3);
    expect(source.items.length).toBeGreaterThan(10);
    expect(new Map([...mirror.items].sort(([x], [y]) => x.localeCompare(y)))).toEqual(
      new Map(source.items.map((item) => [item.id, item] as const).sort(([x], [y]) => x.localeCompare(y))),
    );
  }, 60_000);

  it('holds back changes younger than a transaction still open, so a late commit is never behind a mirror', async () => {
    const { env, a, users, tokens } = world();
    const early = (await seedCallWithRecording(env, a.id, users.agentA.id)).recording;
    const late = (await seedCallWithRecording(env, a.id, users.agentA.id)).recording;
    const before = await feedOf(tokens.agentA, '/v1/recordings');
    const position = before.at(-1)!.updatedAt;

    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written: () => void = () => {};
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const open = env.ownerDb.transaction().execute(async (tx) => {
      await tx
        .updateTable('recordings')
        .set({ tags: ['early'] })
        .where('id', '=', early.id)
        .execute();
      written();
      await held;
    });
    await wrote;
    await env.ownerDb
      .updateTable('recordings')
      .set({ tags: ['late'] })
      .where('id', '=', late.id)
      .execute();
    // The later change is committed, the earlier one not yet: the feed shows neither.
    expect((await feedOf(tokens.agentA, '/v1/recordings', `&updatedAfter=${position}`)).map((item) => item.id)).not.toContain(late.id);
    release();
    await open;
    const after = await feedOf(tokens.agentA, '/v1/recordings', `&updatedAfter=${position}`);
    expect(after.map((item) => item.id)).toEqual([early.id, late.id]);
  });

  it('shows deletions as tombstones of id and times only, each role its own scope, never another company', async () => {
    const { env, a, b, users, tokens } = world();
    const own = (await seedCallWithRecording(env, a.id, users.agentA.id)).recording;
    const colleague = (await seedCallWithRecording(env, a.id, users.agentA2.id)).recording;
    const other = (await seedCallWithRecording(env, b.id, users.agentB.id)).recording;
    for (const recording of [own, colleague]) expect((await world().call(tokens.adminA, 'DELETE', `/v1/recordings/${recording.id}`)).statusCode).toBe(204);
    expect((await world().call(tokens.adminB, 'DELETE', `/v1/recordings/${other.id}`)).statusCode).toBe(204);

    const tombstoneOf = (items: Item[], id: string) => items.find((item) => item.id === id);
    const agentFeed = await feedOf(tokens.agentA, '/v1/recordings');
    expect(Object.keys(tombstoneOf(agentFeed, own.id) ?? {}).sort()).toEqual(['deletedAt', 'id', 'updatedAt']);
    expect(tombstoneOf(agentFeed, colleague.id)).toBeUndefined();
    expect(tombstoneOf(agentFeed, other.id)).toBeUndefined();
    expect(agentFeed.every((item) => item.deletedAt || item.ownerUserId === users.agentA.id)).toBe(true);

    const managerFeed = await feedOf(tokens.managerA, '/v1/recordings');
    expect(tombstoneOf(managerFeed, own.id)).toBeDefined();
    expect(tombstoneOf(managerFeed, colleague.id)).toBeUndefined();
    const adminFeed = await feedOf(tokens.adminA, '/v1/recordings');
    expect(tombstoneOf(adminFeed, colleague.id)).toBeDefined();
    expect(tombstoneOf(adminFeed, other.id)).toBeUndefined();
    expect(adminFeed.every((item) => item.deletedAt || item.companyId === a.id)).toBe(true);
    expect(tombstoneOf(await feedOf(tokens.adminB, '/v1/recordings'), own.id)).toBeUndefined();
    expect(tombstoneOf(await feedOf(tokens.superadmin, '/v1/recordings', `&companyId=${b.id}`), other.id)).toBeDefined();

    // The normal list is unchanged: no tombstones, no deleted items.
    const list = await walk<Item>(world(), tokens.adminA, '/v1/recordings', 'limit=100');
    expect(list.items.map((item) => item.id)).not.toContain(own.id);
    expect(list.items.every((item) => item.deletedAt === undefined)).toBe(true);
  });

  it('moves updatedAt on every change, whoever makes it (a trigger, not each query)', async () => {
    const { env, a, users } = world();
    const { recording } = await seedCallWithRecording(env, a.id, users.agentA.id);
    // A write that names an old updated_at, and one that does not name it at all.
    await env.ownerDb
      .updateTable('recordings')
      .set({ starred: true, updated_at: new Date('2001-01-01T00:00:00Z') })
      .where('id', '=', recording.id)
      .execute();
    const first = await env.ownerDb.selectFrom('recordings').select('updated_at').where('id', '=', recording.id).executeTakeFirstOrThrow();
    expect(first.updated_at.getTime()).toBeGreaterThan(recording.updated_at.getTime());
    await seedTranscript(env, recording);
    const second = await env.ownerDb.selectFrom('recordings').select('updated_at').where('id', '=', recording.id).executeTakeFirstOrThrow();
    expect(second.updated_at.getTime()).toBeGreaterThan(first.updated_at.getTime());
    // A write that changes nothing does not move it.
    await env.ownerDb.updateTable('recordings').set({ starred: true }).where('id', '=', recording.id).execute();
    const third = await env.ownerDb.selectFrom('recordings').select('updated_at').where('id', '=', recording.id).executeTakeFirstOrThrow();
    expect(third.updated_at).toEqual(second.updated_at);
  });

  it('answers 400 to a bad time, updatedAfter without sort=updatedAt, filters in the feed, and a cursor of another list', async () => {
    const { tokens } = world();
    const cases: Array<[string, string]> = [
      ['sort=updatedAt&updatedAfter=yesterday', 'validation_failed'],
      ['sort=updatedAt&updatedAfter=2024-13-45T00:00:00Z', 'validation_failed'],
      ['updatedAfter=2024-01-01T00:00:00Z', 'invalid_feed_query'],
      ['sort=createdAt', 'validation_failed'],
      ['sort=updatedAt&status=stored', 'invalid_feed_query'],
      ['sort=updatedAt&sortBy=startedAt', 'invalid_feed_query'],
    ];
    for (const path of ['/v1/recordings', '/v1/calls']) {
      for (const [query, code] of cases) {
        const response = await world().call(tokens.adminA, 'GET', `${path}?${query}`);
        expect(response.statusCode, `${path}?${query}`).toBe(400);
        expect(response.json().code, `${path}?${query}`).toBe(code);
      }
    }
    const list = await world().call(tokens.adminA, 'GET', '/v1/recordings?limit=1');
    const cursor = list.json().nextCursor as string;
    expect(cursor).toBeTruthy();
    const replayed = await world().call(tokens.adminA, 'GET', `/v1/recordings?sort=updatedAt&limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json().code).toBe('invalid_cursor');
  });
});

describe('the change feed of /v1/calls', () => {
  it('lists calls by change in scope, and a deleted call as a tombstone', async () => {
    const { env, a, b, users, tokens } = world();
    const mine = await seedCall(env, a.id, { ownerUserId: users.agentA.id });
    const theirs = await seedCall(env, a.id, { ownerUserId: users.agentA2.id });
    const foreign = await seedCall(env, b.id, { ownerUserId: users.agentB.id });
    const mirror = mirrorOf('/v1/calls', () => world().tokens.agentA);
    await mirror.poll();
    expect(mirror.items.has(mine.id)).toBe(true);
    expect(mirror.items.has(theirs.id)).toBe(false);
    expect(mirror.items.has(foreign.id)).toBe(false);

    await env.ownerDb.updateTable('calls').set({ status: 'busy' }).where('id', '=', mine.id).execute();
    await mirror.poll();
    expect(mirror.items.get(mine.id)).toMatchObject({ status: 'busy' });

    await env.ownerDb.deleteFrom('calls').where('id', 'in', [mine.id, theirs.id, foreign.id]).execute();
    const feed = await feedOf(tokens.agentA, '/v1/calls');
    expect(feed.find((item) => item.id === mine.id)).toEqual({ id: mine.id, deletedAt: expect.any(String), updatedAt: expect.any(String) });
    expect(feed.find((item) => item.id === theirs.id)).toBeUndefined();
    expect((await feedOf(tokens.adminB, '/v1/calls')).find((item) => item.id === mine.id)).toBeUndefined();
    await mirror.poll();
    expect(mirror.items.has(mine.id)).toBe(false);
    // A company's own deletion leaves tombstones only in that company (row-level security agrees).
    const rows = await sql<{ company_id: string }>`SELECT company_id FROM feed_tombstones WHERE id = ${foreign.id}`.execute(env.ownerDb);
    expect(rows.rows).toEqual([{ company_id: b.id }]);
  });
});

describe('GET /v1/transcripts and its change feed', () => {
  it('lists transcripts in scope by change, without their text; a deleted recording leaves a transcript tombstone', async () => {
    const { env, a, b, users, tokens } = world();
    const mine = (await seedCallWithRecording(env, a.id, users.agentA.id)).recording;
    const colleague = (await seedCallWithRecording(env, a.id, users.agentA2.id)).recording;
    const foreign = (await seedCallWithRecording(env, b.id, users.agentB.id)).recording;
    for (const recording of [mine, colleague, foreign]) await seedTranscript(env, recording, `secret words of ${recording.id}`);
    const transcriptId = async (recordingId: string) =>
      (await env.ownerDb.selectFrom('transcripts').select('id').where('recording_id', '=', recordingId).executeTakeFirstOrThrow()).id;
    const mineId = await transcriptId(mine.id);
    const colleagueId = await transcriptId(colleague.id);
    const foreignId = await transcriptId(foreign.id);

    const mirror = mirrorOf('/v1/transcripts', () => world().tokens.agentA);
    await mirror.poll();
    expect(mirror.items.get(mineId)).toMatchObject({ recordingId: mine.id, companyId: a.id, status: 'completed' });
    expect(JSON.stringify([...mirror.items.values()])).not.toContain('secret words');
    expect(mirror.items.has(colleagueId)).toBe(false);
    expect(mirror.items.has(foreignId)).toBe(false);
    const plain = await walk<Item>(world(), tokens.agentA, '/v1/transcripts', 'limit=2');
    expect(plain.items.map((item) => item.id)).toContain(mineId);
    expect(plain.items.map((item) => item.id)).not.toContain(colleagueId);

    expect((await world().call(tokens.managerA, 'DELETE', `/v1/recordings/${mine.id}`)).statusCode).toBe(204);
    expect((await world().call(tokens.adminB, 'DELETE', `/v1/recordings/${foreign.id}`)).statusCode).toBe(204);
    await mirror.poll();
    expect(mirror.items.has(mineId)).toBe(false);
    const feed = await feedOf(tokens.agentA, '/v1/transcripts');
    expect(feed.find((item) => item.id === mineId)).toEqual({ id: mineId, deletedAt: expect.any(String), updatedAt: expect.any(String) });
    expect(feed.find((item) => item.id === foreignId)).toBeUndefined();
    expect((await feedOf(tokens.managerA2, '/v1/transcripts')).find((item) => item.id === mineId)).toBeUndefined();
    expect((await feedOf(tokens.adminB, '/v1/transcripts')).find((item) => item.id === foreignId)).toBeDefined();
    // The plain list shows no tombstones.
    expect((await walk<Item>(world(), tokens.agentA, '/v1/transcripts', 'limit=100')).items.map((item) => item.id)).not.toContain(mineId);

    for (const [query, code] of [
      ['updatedAfter=2024-01-01T00:00:00Z', 'invalid_feed_query'],
      ['sort=updatedAt&updatedAfter=soon', 'validation_failed'],
      ['sort=updatedAt&status=completed', 'validation_failed'],
    ] as const) {
      const response = await world().call(tokens.agentA, 'GET', `/v1/transcripts?${query}`);
      expect([response.statusCode, response.json().code], query).toEqual([400, code]);
    }
  });
});
