import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingsWorld, randomUUID, seedCallWithRecording, seedTranscript, walk, type RecordingsWorld } from './recordings-test-kit';

/**
 * Search pages like every list. One made-up word is said in calls of both agents of company A (one
 * under each manager) and of company B, some calls saying it more often than others, so ranks both
 * differ and tie; every role walks its pages and a cursor is replayed by every other caller.
 */
let world: RecordingsWorld;
const word = `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const owned: Record<'agentA' | 'agentA2' | 'agentB', string[]> = { agentA: [], agentA2: [], agentB: [] };

interface Hit {
  recordingId: string;
  rank: number;
}

beforeAll(async () => {
  world = await createRecordingsWorld();
  const seeds = [
    ['agentA', world.a.id],
    ['agentA2', world.a.id],
    ['agentB', world.b.id],
  ] as const;
  for (const [owner, companyId] of seeds) {
    for (let index = 0; index < 7; index++) {
      const { recording } = await seedCallWithRecording(world.env, companyId, world.users[owner].id);
      // 1 to 3 mentions: three rank levels, several recordings on each.
      await seedTranscript(world.env, recording, `call ${index}: ${Array.from({ length: 1 + (index % 3) }, () => word).join(' and ')} mentioned.`);
      owned[owner].push(recording.id);
    }
  }
});

afterAll(async () => {
  await world?.close();
});

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('GET /v1/search paging', () => {
  it('walks every hit in scope once, best rank first, for each role', async () => {
    const expected = {
      agentA: owned.agentA,
      managerA: owned.agentA,
      agentA2: owned.agentA2,
      adminA: [...owned.agentA, ...owned.agentA2],
      agentB: owned.agentB,
      adminB: owned.agentB,
    } as const;
    for (const [who, ids] of Object.entries(expected)) {
      const { items, pages } = await walk<Hit>(world, world.tokens[who as keyof typeof expected], '/v1/search', `q=${word}&limit=3`);
      expect(sorted(items.map((hit) => hit.recordingId)), who).toEqual(sorted(ids));
      expect(pages, who).toBe(Math.ceil(ids.length / 3));
      for (let index = 1; index < items.length; index++) expect(items[index - 1]!.rank, who).toBeGreaterThanOrEqual(items[index]!.rank);
    }
    const platform = await walk<Hit>(world, world.tokens.superadmin, '/v1/search', `q=${word}&limit=4`);
    expect(sorted(platform.items.map((hit) => hit.recordingId))).toEqual(sorted([...owned.agentA, ...owned.agentA2, ...owned.agentB]));
  });

  it('takes the lists’ limit (up to 100) and says where the next page starts', async () => {
    const first = await world.call(world.tokens.adminA, 'GET', `/v1/search?q=${word}&limit=100`);
    expect(first.json()).toMatchObject({ nextCursor: null });
    expect(first.json().items).toHaveLength(14);
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/search?q=${word}&limit=101`)).statusCode).toBe(400);
    const paged = await world.call(world.tokens.adminA, 'GET', `/v1/search?q=${word}&limit=5`);
    expect(paged.json().items).toHaveLength(5);
    expect(typeof paged.json().nextCursor).toBe('string');
  });

  it('refuses a cursor used by another agent, manager, company or superadmin, or for other words (400 invalid_cursor), and shows none of its rows', async () => {
    const page = await world.call(world.tokens.agentA, 'GET', `/v1/search?q=${word}&limit=2`);
    const cursor = encodeURIComponent(page.json().nextCursor as string);
    for (const who of ['agentA2', 'managerA', 'managerA2', 'adminA', 'agentB', 'adminB', 'superadmin'] as const) {
      const replayed = await world.call(world.tokens[who], 'GET', `/v1/search?q=${word}&limit=2&cursor=${cursor}`);
      expect(replayed.statusCode, who).toBe(400);
      expect(replayed.json(), who).toMatchObject({ code: 'invalid_cursor' });
      expect(replayed.body, who).not.toContain(owned.agentA[0]);
    }
    const otherWords = await world.call(world.tokens.agentA, 'GET', `/v1/search?q=${word}%20call&limit=2&cursor=${cursor}`);
    expect(otherWords.json()).toMatchObject({ code: 'invalid_cursor' });
    const tampered = await world.call(world.tokens.agentA, 'GET', `/v1/search?q=${word}&limit=2&cursor=${cursor.slice(0, -2)}xx`);
    expect(tampered.json()).toMatchObject({ code: 'invalid_cursor' });
    const own = await world.call(world.tokens.agentA, 'GET', `/v1/search?q=${word}&limit=2&cursor=${cursor}`);
    expect(own.statusCode).toBe(200);
    for (const hit of own.json().items as Hit[]) expect(owned.agentA).toContain(hit.recordingId);
  });
});
