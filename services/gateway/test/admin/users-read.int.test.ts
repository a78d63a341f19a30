import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { auditTrail, createAdminWorld } from './admin-test-kit';

const world = openForFile(createAdminWorld);

describe('GET /v1/users', () => {
  it("lists the company_admin's own company and nobody else's", async () => {
    const response = await world().call(world().tokens.adminA, 'GET', '/v1/users');
    expect(response.statusCode).toBe(200);
    const ids = response.json().items.map((user: { id: string }) => user.id);
    const { adminA, managerA, agentA, adminB } = world().users;
    expect(ids.sort()).toEqual([adminA.id, managerA.id, agentA.id].sort());
    expect(ids).not.toContain(adminB.id);
    expect(response.body).not.toContain(world().b.id);
    expect(response.json().items.find((user: { id: string }) => user.id === agentA.id)).toEqual({
      id: agentA.id,
      companyId: world().a.id,
      subject: agentA.subject,
      email: null,
      name: 'agent',
      role: 'agent',
      managerId: managerA.id,
      disabled: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('filters by role and pages with a cursor bound to the listing', async () => {
    const agents = await world().call(world().tokens.adminA, 'GET', '/v1/users?role=agent');
    expect(agents.json().items.map((user: { id: string }) => user.id)).toEqual([world().users.agentA.id]);

    const first = await world().call(world().tokens.adminA, 'GET', '/v1/users?limit=2');
    expect(first.json().items).toHaveLength(2);
    const cursor = encodeURIComponent(first.json().nextCursor);
    const second = await world().call(world().tokens.adminA, 'GET', `/v1/users?limit=2&cursor=${cursor}`);
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    // The same cursor under another filter is not a position in that listing.
    expect((await world().call(world().tokens.adminA, 'GET', `/v1/users?limit=2&role=agent&cursor=${cursor}`)).statusCode).toBe(400);
  });

  it('refuses agents and managers with 403', async () => {
    for (const token of [world().tokens.agentA, world().tokens.managerA]) {
      const response = await world().call(token, 'GET', '/v1/users');
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
      expect((await world().call(token, 'GET', `/v1/users/${world().users.agentA.id}`)).statusCode).toBe(403);
    }
  });

  it("answers 404 for another company, named or through one of its users' ids", async () => {
    const named = await world().call(world().tokens.adminA, 'GET', `/v1/users?companyId=${world().b.id}`);
    expect(named.statusCode).toBe(404);
    const other = await world().call(world().tokens.adminA, 'GET', `/v1/users/${world().users.agentB.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ status: 404, code: 'not_found', detail: 'user not found' });
    // Naming its own company is allowed.
    expect((await world().call(world().tokens.adminA, 'GET', `/v1/users?companyId=${world().a.id}`)).statusCode).toBe(200);
  });

  it('answers 400 to unknown query fields', async () => {
    const response = await world().call(world().tokens.adminA, 'GET', '/v1/users?company=x');
    expect(response.statusCode).toBe(400);
    expect((await world().call(world().tokens.adminA, 'GET', '/v1/users/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('GET /v1/users as a superadmin', () => {
  it('needs companyId (400) and audits every read in the company read', async () => {
    const missing = await world().call(world().tokens.superadmin, 'GET', '/v1/users');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('company_required');

    const list = await world().call(world().tokens.superadmin, 'GET', `/v1/users?companyId=${world().b.id}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(3);
    const one = await world().call(world().tokens.superadmin, 'GET', `/v1/users/${world().users.agentB.id}?companyId=${world().b.id}`);
    expect(one.statusCode).toBe(200);

    const trail = await auditTrail(world().env, world().b.id);
    expect(trail.map((event) => event.action)).toEqual(['user.list', 'user.read']);
    expect(trail[1]).toMatchObject({ actor_role: 'superadmin', target_type: 'user', target_id: world().users.agentB.id });
    expect(await auditTrail(world().env, world().a.id)).toHaveLength(0);
  });

  it('answers 404 for a user of another company than the one named, and for an unknown company', async () => {
    expect((await world().call(world().tokens.superadmin, 'GET', `/v1/users/${world().users.agentA.id}?companyId=${world().b.id}`)).statusCode).toBe(404);
    const unknown = await world().call(world().tokens.superadmin, 'GET', '/v1/users?companyId=00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe('company not found');
  });

  it('does not audit company admins reading their own company', async () => {
    await world().call(world().tokens.adminA, 'GET', '/v1/users');
    expect(await auditTrail(world().env, world().a.id)).toHaveLength(0);
  });
});
