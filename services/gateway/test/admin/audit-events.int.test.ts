import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

beforeAll(async () => {
  world = await createAdminWorld();
  const created = await world.call(world.tokens.adminA, 'POST', '/v1/users', { subject: `sub-${randomUUID()}`, role: 'agent' });
  await world.call(world.tokens.adminA, 'PATCH', `/v1/users/${created.json().id}`, { name: 'Renamed' });
  await world.call(world.tokens.adminB, 'POST', '/v1/users', { subject: `sub-${randomUUID()}`, role: 'agent' });
  // Three events within one millisecond: a cursor rounded to milliseconds would skip some.
  await world.env.ownerDb
    .insertInto('audit_events')
    .values(
      ['123100', '123200', '123300'].map((micros) => ({
        company_id: world.a.id,
        actor_subject: 'fixture',
        actor_role: 'company_admin',
        action: 'fixture.tick',
        target_type: 'fixture',
        target_id: micros,
        created_at: `2024-01-01T00:00:00.${micros}Z`,
      })),
    )
    .execute();
});

afterAll(async () => {
  await world?.close();
});

type Item = { id: string; companyId: string; action: string; targetId: string | null };

async function walk(token: string, query: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const response = await world.call(token, 'GET', `/v1/audit-events?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(response.statusCode).toBe(200);
    items.push(...response.json().items);
    cursor = response.json().nextCursor;
  } while (cursor);
  return items;
}

describe('GET /v1/audit-events', () => {
  it("shows a company_admin its own company's trail, newest first, and nothing else", async () => {
    const response = await world.call(world.tokens.adminA, 'GET', '/v1/audit-events');
    expect(response.statusCode).toBe(200);
    const items: Item[] = response.json().items;
    expect(items.map((item) => item.action)).toEqual(['user.update', 'user.create', 'fixture.tick', 'fixture.tick', 'fixture.tick']);
    expect(items.every((item) => item.companyId === world.a.id)).toBe(true);
    expect(response.json().items[0]).toMatchObject({
      actorUserId: world.users.adminA.id,
      actorRole: 'company_admin',
      targetType: 'user',
      userAgent: 'admin-test',
    });
  });

  it('filters by action, actor and time, and pages without skipping events of the same millisecond', async () => {
    const byAction = await world.call(world.tokens.adminA, 'GET', '/v1/audit-events?action=user.create');
    expect(byAction.json().items.map((item: Item) => item.action)).toEqual(['user.create']);
    const byActor = await world.call(world.tokens.adminA, 'GET', `/v1/audit-events?actorUserId=${world.users.adminA.id}`);
    expect(byActor.json().items).toHaveLength(2);

    const ticks = await walk(world.tokens.adminA, 'limit=1&from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z');
    expect(ticks.map((item) => item.targetId)).toEqual(['123300', '123200', '123100']);
  });

  it('refuses agents and managers (403), another company (404), unknown filters and forged cursors (400)', async () => {
    expect((await world.call(world.tokens.agentA, 'GET', '/v1/audit-events')).statusCode).toBe(403);
    expect((await world.call(world.tokens.managerA, 'GET', '/v1/audit-events')).statusCode).toBe(403);
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/audit-events?companyId=${world.b.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/audit-events?actor=me')).statusCode).toBe(400);
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/audit-events?from=yesterday')).statusCode).toBe(400);
    // A cursor of company B's listing does not continue company A's.
    const bPage = await world.call(world.tokens.adminB, 'GET', '/v1/audit-events?limit=1');
    expect(bPage.json().nextCursor).toBeNull();
    const aPage = await world.call(world.tokens.adminA, 'GET', '/v1/audit-events?limit=1');
    const replay = await world.call(world.tokens.adminB, 'GET', `/v1/audit-events?limit=1&cursor=${encodeURIComponent(aPage.json().nextCursor)}`);
    expect(replay.statusCode).toBe(400);
  });
});

describe('GET /v1/audit-events as a superadmin', () => {
  it('reads every company, and the read is audited in each company it showed', async () => {
    const items = await walk(world.tokens.superadmin, 'limit=100');
    expect(new Set(items.map((item) => item.companyId))).toEqual(new Set([world.a.id, world.b.id]));
    for (const company of [world.a, world.b]) {
      const reads = await auditTrail(world.env, company.id, 'audit_event.list');
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({ actor_role: 'superadmin', actor_user_id: null });
    }
  });

  it('narrows to one company when it names one, audited there', async () => {
    const items = await walk(world.tokens.superadmin, `companyId=${world.b.id}`);
    expect(items.every((item) => item.companyId === world.b.id)).toBe(true);
    expect(await auditTrail(world.env, world.b.id, 'audit_event.list')).toHaveLength(2);
    expect(await auditTrail(world.env, world.a.id, 'audit_event.list')).toHaveLength(1);
  });
});
