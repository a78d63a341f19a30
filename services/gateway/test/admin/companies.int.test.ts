import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { auditTrail, createAdminWorld } from './admin-test-kit';

const world = openForFile(createAdminWorld);

describe('POST /v1/companies', () => {
  it('lets a superadmin create a tenant, returns it with its id (201) and audits it in the new company', async () => {
    const response = await world().call(world().tokens.superadmin, 'POST', '/v1/companies', { name: 'Acme Dental', retentionDays: 90 });
    expect(response.statusCode).toBe(201);
    const company = response.json();
    expect(company).toMatchObject({ name: 'Acme Dental', retentionDays: 90, recordingFormat: 'mp3' });
    expect(company.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(company).sort()).toEqual(['createdAt', 'id', 'name', 'recordingFormat', 'retentionDays', 'updatedAt']);

    const trail = await auditTrail(world().env, company.id, 'company.create');
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor_role: 'superadmin', actor_user_id: null, target_type: 'company', target_id: company.id, user_agent: 'admin-test' });
  });

  it('refuses every other role with 403', async () => {
    for (const token of [world().tokens.adminA, world().tokens.managerA, world().tokens.agentA]) {
      const response = await world().call(token, 'POST', '/v1/companies', { name: 'Sneaky' });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });

  it('answers 400 to unknown fields and invalid values', async () => {
    const unknown = await world().call(world().tokens.superadmin, 'POST', '/v1/companies', { name: 'X', plan: 'gold' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'validation_failed' });
    for (const body of [{ name: '' }, { name: 'X', retentionDays: 0 }, { retentionDays: 30 }, { name: 'X', recordingFormat: 'ogg' }]) {
      expect((await world().call(world().tokens.superadmin, 'POST', '/v1/companies', body)).statusCode).toBe(400);
    }
  });

  it('answers 401 without a token', async () => {
    const response = await world().app.inject({ method: 'POST', url: '/v1/companies', payload: { name: 'X' } });
    expect(response.statusCode).toBe(401);
  });
});

describe('GET /v1/companies', () => {
  it('lists every tenant to a superadmin, page by page', async () => {
    const first = await world().call(world().tokens.superadmin, 'GET', '/v1/companies?limit=2');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));

    const seen = [...page1.items];
    let cursor: string | null = page1.nextCursor;
    while (cursor) {
      const next = await world().call(world().tokens.superadmin, 'GET', `/v1/companies?limit=2&cursor=${encodeURIComponent(cursor)}`);
      expect(next.statusCode).toBe(200);
      seen.push(...next.json().items);
      cursor = next.json().nextCursor;
    }
    const ids = seen.map((company: { id: string }) => company.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([world().a.id, world().b.id]));
    const total = await world()
      .env.ownerDb.selectFrom('companies')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(ids).toHaveLength(Number(total.n));
  });

  it('refuses company roles with 403 and a forged cursor with 400', async () => {
    for (const token of [world().tokens.adminA, world().tokens.managerA, world().tokens.agentA]) {
      expect((await world().call(token, 'GET', '/v1/companies')).statusCode).toBe(403);
    }
    const forged = await world().call(world().tokens.superadmin, 'GET', '/v1/companies?cursor=eyJ2IjoxfQ.bogus');
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'invalid_cursor' });
    expect((await world().call(world().tokens.superadmin, 'GET', '/v1/companies?sort=name')).statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents the administration routes', async () => {
    const response = await world().app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/companies',
        '/v1/users',
        '/v1/users/{id}',
        '/v1/settings/twilio',
        '/v1/settings/vapi',
        '/v1/phone-numbers',
        '/v1/phone-numbers/{id}',
        '/v1/phone-numbers/sync',
        '/v1/audit-events',
        '/v1/webhook-events',
        '/v1/webhook-events/{id}',
      ]),
    );
  });
});
