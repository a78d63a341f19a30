import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertCompanyUser, withCompany } from '@callvault/db';
import { tokenFor, openForFile } from '@callvault/testing';
import { translatingViolations } from '../../src/routes/admin/admin-access';
import { auditTrail, createAdminWorld } from './admin-test-kit';

const world = openForFile(createAdminWorld);

const newUser = (extra: Record<string, unknown> = {}) => ({
  subject: `sub-${randomUUID()}`,
  email: 'new@example.com',
  name: 'New Agent',
  role: 'agent',
  ...extra,
});

describe('POST /v1/users', () => {
  it('creates a user in the company_admin own company (201) and audits it', async () => {
    const body = newUser({ managerId: world().users.managerA.id });
    const response = await world().call(world().tokens.adminA, 'POST', '/v1/users', body);
    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(user).toMatchObject({ ...body, companyId: world().a.id, disabled: false });
    const [event] = await auditTrail(world().env, world().a.id, 'user.create');
    expect(event).toMatchObject({ actor_user_id: world().users.adminA.id, actor_role: 'company_admin', target_id: user.id });
    expect(event!.details).toMatchObject({ subject: body.subject, role: 'agent', managerId: world().users.managerA.id });
  });

  it('lets a superadmin create a user in the company it names in the body', async () => {
    const response = await world().call(world().tokens.superadmin, 'POST', '/v1/users', newUser({ companyId: world().b.id, role: 'company_admin' }));
    expect(response.statusCode).toBe(201);
    expect(response.json().companyId).toBe(world().b.id);
    expect((await world().call(world().tokens.superadmin, 'POST', '/v1/users', newUser())).statusCode).toBe(400);
  });

  it('refuses a manager from another company, or an agent as manager, with 400', async () => {
    const foreign = await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser({ managerId: world().users.managerB.id }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().detail).toBe('managerId must name a manager or company_admin of the same company');
    expect(foreign.body).not.toContain(world().b.id);
    expect((await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser({ managerId: world().users.agentA.id }))).statusCode).toBe(400);
  });

  it('answers 409 to a subject already registered, 400 to unknown fields, 403 to other roles, 404 to another company', async () => {
    const taken = await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser({ subject: world().users.agentB.subject }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'conflict', detail: 'a user with this subject already exists' });
    expect((await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser({ password: 'x' }))).statusCode).toBe(400);
    expect((await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser({ role: 'superadmin' }))).statusCode).toBe(400);
    expect((await world().call(world().tokens.managerA, 'POST', '/v1/users', newUser())).statusCode).toBe(403);
    expect((await world().call(world().tokens.agentA, 'POST', '/v1/users', newUser())).statusCode).toBe(403);
    expect((await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser({ companyId: world().b.id }))).statusCode).toBe(404);
  });

  it('maps the database rule "a manager belongs to the same company" to a 400, never a 500', async () => {
    const attempt = translatingViolations(
      () =>
        withCompany(world().env.db, world().a.id, (tx) =>
          insertCompanyUser(tx, {
            subject: `sub-${randomUUID()}`,
            email: null,
            name: null,
            role: 'agent',
            managerId: world().users.managerB.id,
            disabled: false,
          }),
        ),
      { foreignKey: 'managerId must name a manager or company_admin of the same company' },
    );
    await expect(attempt).rejects.toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });
});

describe('PATCH /v1/users/{id}', () => {
  it('changes fields, and the audit trail says who changed whose role', async () => {
    const created = (await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser())).json();
    const response = await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${created.id}`, { role: 'manager', name: 'Promoted' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: created.id, role: 'manager', name: 'Promoted', email: 'new@example.com' });
    const events = await auditTrail(world().env, world().a.id, 'user.update');
    expect(events.at(-1)).toMatchObject({ target_id: created.id, details: { fields: ['name', 'role'], role: { from: 'agent', to: 'manager' } } });
  });

  it('refuses self-management: own role or access (403), own manager (400)', async () => {
    const self = world().users.adminA.id;
    expect((await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${self}`, { role: 'agent' })).statusCode).toBe(403);
    expect((await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${self}`, { disabled: true })).statusCode).toBe(403);
    expect((await world().call(world().tokens.adminA, 'DELETE', `/v1/users/${self}`)).statusCode).toBe(403);
    const ownManager = await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${world().users.managerA.id}`, { managerId: world().users.managerA.id });
    expect(ownManager.statusCode).toBe(400);
    expect(ownManager.json().detail).toBe('a user cannot be their own manager');
  });

  it('answers 404 across companies, 400 to unknown or empty bodies, 403 to agents and managers', async () => {
    expect((await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${world().users.agentB.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${world().users.agentA.id}`, { companyId: world().b.id })).statusCode).toBe(400);
    expect((await world().call(world().tokens.adminA, 'PATCH', `/v1/users/${world().users.agentA.id}`, {})).statusCode).toBe(400);
    expect((await world().call(world().tokens.managerA, 'PATCH', `/v1/users/${world().users.agentA.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await world().call(world().tokens.agentA, 'PATCH', `/v1/users/${world().users.agentA.id}`, { name: 'x' })).statusCode).toBe(403);
    const agentB = await world().env.ownerDb.selectFrom('users').selectAll().where('id', '=', world().users.agentB.id).executeTakeFirstOrThrow();
    expect(agentB.name).toBe('agent');
  });
});

describe('DELETE /v1/users/{id}', () => {
  it('deletes a user who owns no calls, and their token stops working', async () => {
    const created = (await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser())).json();
    const response = await world().call(world().tokens.adminA, 'DELETE', `/v1/users/${created.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: created.id, result: 'deleted' });
    expect(await world().env.ownerDb.selectFrom('users').select('id').where('id', '=', created.id).executeTakeFirst()).toBeUndefined();
    expect((await auditTrail(world().env, world().a.id, 'user.delete')).at(-1)).toMatchObject({ target_id: created.id });
    expect((await world().call(await tokenFor(world().env, created.subject), 'GET', '/v1/me')).statusCode).toBe(403);
  });

  it('disables a user who owns calls, so the calls keep their owner', async () => {
    const created = (await world().call(world().tokens.adminA, 'POST', '/v1/users', newUser())).json();
    await world()
      .env.ownerDb.insertInto('calls')
      .values({ company_id: world().a.id, owner_user_id: created.id as string, provider: 'twilio', status: 'completed', status_rank: 0 })
      .execute();
    const response = await world().call(world().tokens.adminA, 'DELETE', `/v1/users/${created.id}`);
    expect(response.json()).toEqual({ id: created.id, result: 'disabled' });
    const row = await world().env.ownerDb.selectFrom('users').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.disabled).toBe(true);
    expect((await auditTrail(world().env, world().a.id, 'user.disable')).at(-1)).toMatchObject({ target_id: created.id });
    expect((await world().call(await tokenFor(world().env, created.subject), 'GET', '/v1/me')).statusCode).toBe(403);
  });

  it('answers 404 across companies and 403 to agents and managers', async () => {
    expect((await world().call(world().tokens.adminA, 'DELETE', `/v1/users/${world().users.agentB.id}`)).statusCode).toBe(404);
    expect((await world().call(world().tokens.managerA, 'DELETE', `/v1/users/${world().users.agentA.id}`)).statusCode).toBe(403);
    expect((await world().call(world().tokens.superadmin, 'DELETE', `/v1/users/${world().users.agentB.id}?companyId=${world().a.id}`)).statusCode).toBe(404);
    expect(await world().env.ownerDb.selectFrom('users').select('id').where('id', '=', world().users.agentB.id).executeTakeFirst()).toBeDefined();
  });
});
