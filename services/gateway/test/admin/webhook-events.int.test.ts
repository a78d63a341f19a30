import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWebhookEvent, withPlatform, type NewWebhookEvent } from '@callvault/db';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;
const ids: Record<'acceptedA' | 'quarantined' | 'rejectedB', string> = { acceptedA: '', quarantined: '', rejectedB: '' };
const CALLER = '+13125550199';

async function store(event: Partial<NewWebhookEvent> & Pick<NewWebhookEvent, 'status' | 'companyId'>): Promise<string> {
  const row = await withPlatform(world.env.db, (tx) =>
    insertWebhookEvent(tx, {
      provider: 'twilio',
      eventType: 'call-status',
      idempotencyKey: `test:${randomUUID()}`,
      payload: { From: CALLER, To: '+13125550100', CallStatus: 'completed' },
      requestPath: '/webhooks/twilio/call-status',
      ...event,
    }),
  );
  return row!.id;
}

beforeAll(async () => {
  world = await createAdminWorld();
  ids.acceptedA = await store({ status: 'accepted', companyId: world.a.id, callRef: 'CA1' });
  ids.quarantined = await store({ status: 'quarantined', companyId: null, reason: 'no tenant' });
  ids.rejectedB = await store({ status: 'rejected', companyId: world.b.id, provider: 'vapi', eventType: 'end-of-call-report', reason: 'missing call id' });
});

afterAll(async () => {
  await world?.close();
});

describe('GET /v1/webhook-events', () => {
  it('lists stored events to a superadmin, newest first, without payloads', async () => {
    const response = await world.call(world.tokens.superadmin, 'GET', '/v1/webhook-events');
    expect(response.statusCode).toBe(200);
    const items = response.json().items;
    expect(items.map((item: { id: string }) => item.id)).toEqual([ids.rejectedB, ids.quarantined, ids.acceptedA]);
    expect(items[1]).toMatchObject({ companyId: null, status: 'quarantined', reason: 'no tenant', provider: 'twilio' });
    expect(items[0]).not.toHaveProperty('payload');
    expect(response.body).not.toContain(CALLER);
  });

  it('filters by status, provider and company, and pages', async () => {
    const quarantined = await world.call(world.tokens.superadmin, 'GET', '/v1/webhook-events?status=quarantined');
    expect(quarantined.json().items.map((item: { id: string }) => item.id)).toEqual([ids.quarantined]);
    const vapi = await world.call(world.tokens.superadmin, 'GET', '/v1/webhook-events?provider=vapi');
    expect(vapi.json().items.map((item: { id: string }) => item.id)).toEqual([ids.rejectedB]);
    const ofA = await world.call(world.tokens.superadmin, 'GET', `/v1/webhook-events?companyId=${world.a.id}`);
    expect(ofA.json().items.map((item: { id: string }) => item.id)).toEqual([ids.acceptedA]);

    const first = await world.call(world.tokens.superadmin, 'GET', '/v1/webhook-events?limit=2');
    const second = await world.call(world.tokens.superadmin, 'GET', `/v1/webhook-events?limit=2&cursor=${encodeURIComponent(first.json().nextCursor)}`);
    expect(second.json()).toMatchObject({ items: [{ id: ids.acceptedA }], nextCursor: null });
  });

  it('audits the listing in every company whose events it showed', async () => {
    expect((await auditTrail(world.env, world.a.id, 'webhook_event.list')).length).toBeGreaterThan(0);
    expect((await auditTrail(world.env, world.b.id, 'webhook_event.list')).length).toBeGreaterThan(0);
  });

  it('refuses every company role with 403 and unknown filters with 400', async () => {
    for (const token of [world.tokens.adminA, world.tokens.managerA, world.tokens.agentA]) {
      expect((await world.call(token, 'GET', '/v1/webhook-events')).statusCode).toBe(403);
      expect((await world.call(token, 'GET', `/v1/webhook-events/${ids.acceptedA}`)).statusCode).toBe(403);
    }
    expect((await world.call(world.tokens.superadmin, 'GET', '/v1/webhook-events?status=lost')).statusCode).toBe(400);
    expect((await world.call(world.tokens.superadmin, 'GET', '/v1/webhook-events?payload=true')).statusCode).toBe(400);
  });
});

describe('GET /v1/webhook-events/{id}', () => {
  it('shows one event with its payload to a superadmin, audited in its company', async () => {
    const before = (await auditTrail(world.env, world.a.id, 'webhook_event.read')).length;
    const response = await world.call(world.tokens.superadmin, 'GET', `/v1/webhook-events/${ids.acceptedA}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: ids.acceptedA, companyId: world.a.id, callRef: 'CA1', payload: { From: CALLER, CallStatus: 'completed' } });
    const reads = await auditTrail(world.env, world.a.id, 'webhook_event.read');
    expect(reads).toHaveLength(before + 1);
    expect(reads.at(-1)).toMatchObject({ target_type: 'webhook_event', target_id: ids.acceptedA, actor_role: 'superadmin' });
  });

  it("shows a quarantined event too, audited in the platform's own trail (it belongs to no company), and answers 404 to an unknown id", async () => {
    expect((await world.call(world.tokens.superadmin, 'GET', `/v1/webhook-events/${ids.quarantined}`)).json()).toMatchObject({
      status: 'quarantined',
      payload: { From: CALLER },
    });
    const platformTrail = await world.env.ownerDb.selectFrom('platform_audit_events').selectAll().where('action', '=', 'webhook_event.read').execute();
    expect(platformTrail).toEqual([
      expect.objectContaining({
        target_id: ids.quarantined,
        actor_role: 'superadmin',
        actor_subject: world.superadminSubject,
        details: { status: 'quarantined' },
      }),
    ]);
    expect((await world.call(world.tokens.superadmin, 'GET', `/v1/webhook-events/${randomUUID()}`)).statusCode).toBe(404);
  });
});
