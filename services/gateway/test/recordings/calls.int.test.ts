import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, Recording } from '@callvault/db';
import {
  auditTrail,
  createRecordingsWorld,
  randomUUID,
  seedCall,
  seedMetrics,
  seedRecording,
  seedTranscript,
  walk,
  type RecordingsWorld,
} from './recordings-test-kit';

let world: RecordingsWorld;
const callsInA: Call[] = [];
let callB: Call;
let detailed: { call: Call; own: Recording; reports: Recording; deleted: Recording };

type Item = { id: string; companyId: string; ownerUserId: string | null; status: string };

beforeAll(async () => {
  world = await createRecordingsWorld();
  const { env, a, b, users } = world;
  const owners = [users.agentA.id, users.agentA2.id, users.managerA.id, null];
  for (let index = 0; index < 22; index += 1) {
    const micros = String(100 + (index % 3)).padStart(6, '0');
    callsInA.push(
      await seedCall(env, a.id, {
        ownerUserId: owners[index % owners.length]!,
        status: index % 5 === 0 ? 'no-answer' : 'completed',
        direction: index % 2 === 0 ? 'inbound' : 'outbound-api',
        from: `+1773555${String(2000 + index)}`,
        startedAt: index % 6 === 0 ? null : `2024-07-0${1 + (index % 4)}T08:00:00.${micros}Z`,
        durationSeconds: index % 7 === 0 ? null : [15, 45, 45][index % 3]!,
        createdAt: `2024-07-10T00:00:0${index % 2}.${micros}Z`,
      }),
    );
  }
  callB = await seedCall(env, b.id, { ownerUserId: users.agentB.id });

  // A call of agentA with its recording, one owned by the manager, and a deleted one.
  const call = callsInA[0]!;
  const own = await seedRecording(env, call);
  const reports = await seedRecording(env, call, { ownerUserId: users.managerA.id });
  const deleted = await seedRecording(env, call, { status: 'deleted' });
  await seedTranscript(env, own);
  await seedMetrics(env, own, { talkRatio: 0.42, words: { agent: 10, customer: 12 } });
  detailed = { call, own, reports, deleted };
});

afterAll(async () => {
  await world?.close();
});

const COLUMN = { startedAt: 'started_at', duration: 'duration_seconds', createdAt: 'created_at' } as const;

async function expectedOrder(sortBy: keyof typeof COLUMN, sortOrder: 'asc' | 'desc'): Promise<string[]> {
  const direction = sql.raw(sortOrder);
  const rows = await sql<{ id: string }>`
    SELECT id FROM calls WHERE company_id = ${world.a.id}
    ORDER BY ${sql.ref(COLUMN[sortBy])} ${direction} NULLS LAST, id ${direction}`.execute(world.env.ownerDb);
  return rows.rows.map((row) => row.id);
}

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
const everything = async (token: string, query = '') => ids((await walk<Item>(world, token, '/v1/calls', `limit=100${query}`)).items).sort();

describe('GET /v1/calls', () => {
  for (const sortBy of ['startedAt', 'duration', 'createdAt'] as const) {
    for (const sortOrder of ['asc', 'desc'] as const) {
      it(`pages by ${sortBy} ${sortOrder} in keyset order, 3 at a time`, async () => {
        const { items, pages } = await walk<Item>(world, world.tokens.adminA, '/v1/calls', `limit=3&sortBy=${sortBy}&sortOrder=${sortOrder}`);
        expect(pages).toBe(8);
        expect(ids(items)).toEqual(await expectedOrder(sortBy, sortOrder));
      });
    }
  }

  it('scopes calls by their owner like recordings', async () => {
    const { users, tokens } = world;
    const ownedBy = (...owners: Array<string | null>) =>
      callsInA
        .filter((call) => owners.includes(call.owner_user_id))
        .map((call) => call.id)
        .sort();
    expect(await everything(tokens.agentA)).toEqual(ownedBy(users.agentA.id));
    expect(await everything(tokens.managerA)).toEqual(ownedBy(users.managerA.id, users.agentA.id));
    expect(await everything(tokens.managerA2)).toEqual(ownedBy(users.managerA2.id, users.agentA2.id));
    expect(await everything(tokens.agentA2)).toEqual(ownedBy(users.agentA2.id));
    expect(await everything(tokens.adminA)).toEqual(callsInA.map((call) => call.id).sort());
    expect(await everything(tokens.adminB)).toEqual([callB.id]);
    expect(await everything(tokens.superadmin)).toEqual([...callsInA.map((call) => call.id), callB.id].sort());
    expect((await world.call(tokens.adminB, 'GET', `/v1/calls?companyId=${world.a.id}`)).statusCode).toBe(404);
  });

  it('filters by status, direction, owner, time and number', async () => {
    const expectIds = async (query: string, predicate: (call: Call) => boolean) =>
      expect(await everything(world.tokens.adminA, `&${query}`), query).toEqual(
        callsInA
          .filter(predicate)
          .map((call) => call.id)
          .sort(),
      );
    await expectIds('status=no-answer', (call) => call.status === 'no-answer');
    await expectIds('direction=outbound-api', (call) => call.direction === 'outbound-api');
    await expectIds(`ownerUserId=${world.users.agentA2.id}`, (call) => call.owner_user_id === world.users.agentA2.id);
    await expectIds('from=2024-07-02T00:00:00Z&to=2024-07-03T00:00:00Z', (call) => call.started_at?.toISOString().startsWith('2024-07-02') ?? false);
    await expectIds('search=773-555-2013', (call) => call.from_number === '+17735552013');
  });

  it('audits a superadmin list in each company it showed', async () => {
    await world.call(world.tokens.superadmin, 'GET', `/v1/calls?companyId=${world.b.id}`);
    const trail = await auditTrail(world.env, world.b.id, 'company.read');
    expect(trail.at(-1)).toMatchObject({ actor_role: 'superadmin', details: { resource: 'calls' } });
  });

  it('answers 400 to recording-only filters, bad limits and cursors', async () => {
    for (const query of ['starred=true', 'category=x', 'limit=0', 'limit=101', 'sortBy=cost', 'cursor=abc.def']) {
      expect((await world.call(world.tokens.adminA, 'GET', `/v1/calls?${query}`)).statusCode, query).toBe(400);
    }
    const page = await world.call(world.tokens.adminA, 'GET', '/v1/calls?limit=2');
    const replay = await world.call(world.tokens.adminA, 'GET', `/v1/recordings?limit=2&cursor=${encodeURIComponent(page.json().nextCursor)}`);
    expect(replay.json().code).toBe('invalid_cursor');
  });
});

describe('GET /v1/calls/{id}', () => {
  it('shows the call with the recordings the caller may see, their transcript summary and analytics', async () => {
    const { call, own, reports, deleted } = detailed;
    const response = await world.call(world.tokens.managerA, 'GET', `/v1/calls/${call.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      id: call.id,
      companyId: world.a.id,
      ownerUserId: world.users.agentA.id,
      provider: 'twilio',
      providerCallId: call.twilio_call_sid,
      status: call.status,
    });
    expect(body.recordings.map((recording: { id: string }) => recording.id).sort()).toEqual([own.id, reports.id].sort());
    const ownDto = body.recordings.find((recording: { id: string }) => recording.id === own.id);
    expect(ownDto).toMatchObject({
      callId: call.id,
      hasTranscript: true,
      transcript: { status: 'completed', source: 'twilio', language: 'en', redactionCount: 2 },
      analytics: { talkRatio: 0.42, words: { agent: 10, customer: 12 } },
    });
    expect(body.recordings.find((recording: { id: string }) => recording.id === reports.id)).toMatchObject({ transcript: null, analytics: null });
    expect(response.body).not.toContain(deleted.id);

    // The agent sees the call but not the manager's recording in it.
    const agentView = await world.call(world.tokens.agentA, 'GET', `/v1/calls/${call.id}`);
    expect(agentView.json().recordings.map((recording: { id: string }) => recording.id)).toEqual([own.id]);
  });

  it('answers 404 outside the scope, 400 for a malformed id, and audits every read (it carries the summary)', async () => {
    const { call } = detailed;
    const reads = async () => (await auditTrail(world.env, world.a.id, 'call.read')).filter((event) => event.target_id === call.id);
    const before = (await reads()).length;
    for (const token of [world.tokens.agentA2, world.tokens.managerA2, world.tokens.adminB]) {
      const response = await world.call(token, 'GET', `/v1/calls/${call.id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ status: 404, code: 'not_found', detail: 'call not found' });
    }
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/calls/${randomUUID()}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/calls/123')).statusCode).toBe(400);
    expect(await reads()).toHaveLength(before);

    expect((await world.call(world.tokens.adminA, 'GET', `/v1/calls/${call.id}`)).statusCode).toBe(200);
    expect((await reads()).at(-1)).toMatchObject({ actor_role: 'company_admin' });
    expect((await world.call(world.tokens.superadmin, 'GET', `/v1/calls/${call.id}`)).statusCode).toBe(200);
    expect((await auditTrail(world.env, world.a.id, 'call.read')).at(-1)).toMatchObject({ target_type: 'call', target_id: call.id, actor_role: 'superadmin' });
  });
});
