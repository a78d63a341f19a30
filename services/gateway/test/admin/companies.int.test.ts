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

describe('PATCH /v1/companies/{id}', () => {
  const retentionOf = async (companyId: string) =>
    await world().env.ownerDb.selectFrom('companies').select(['name', 'retention_days']).where('id', '=', companyId).executeTakeFirstOrThrow();

  it('lets a superadmin change name and retention (null: forever), audited in that company', async () => {
    const { a } = world();
    const response = await world().call(world().tokens.superadmin, 'PATCH', `/v1/companies/${a.id}`, { name: 'Company A renamed', retentionDays: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: a.id, name: 'Company A renamed', retentionDays: null });
    expect(await retentionOf(a.id)).toEqual({ name: 'Company A renamed', retention_days: null });
    const trail = await auditTrail(world().env, a.id, 'company.update');
    expect(trail.at(-1)).toMatchObject({
      actor_role: 'superadmin',
      target_id: a.id,
      details: { name: { to: 'Company A renamed' }, retentionDays: { to: null } },
    });
  });

  it("lets a company admin change its own company's retention within the platform bounds, and nothing else", async () => {
    const { a } = world();
    const ok = await world().call(world().tokens.adminA, 'PATCH', `/v1/companies/${a.id}`, { retentionDays: 400 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ retentionDays: 400 });
    expect((await retentionOf(a.id)).retention_days).toBe(400);
    expect((await auditTrail(world().env, a.id, 'company.update')).at(-1)).toMatchObject({
      actor_role: 'company_admin',
      actor_user_id: world().users.adminA.id,
    });

    // Default bounds 1..3650 days; forever (null) and renaming are the operator's decisions.
    for (const body of [{ retentionDays: 3651 }, { retentionDays: null }, { name: 'Mine now' }]) {
      const refused = await world().call(world().tokens.adminA, 'PATCH', `/v1/companies/${a.id}`, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('forbidden');
    }
    expect(await retentionOf(a.id)).toMatchObject({ retention_days: 400 });
  });

  it('answers 404 to a company admin naming another company, and leaves it unchanged', async () => {
    const { b } = world();
    const before = await retentionOf(b.id);
    const response = await world().call(world().tokens.adminA, 'PATCH', `/v1/companies/${b.id}`, { retentionDays: 30 });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
    expect(await retentionOf(b.id)).toEqual(before);
    const unknown = await world().call(world().tokens.superadmin, 'PATCH', '/v1/companies/00000000-0000-4000-8000-000000000000', { retentionDays: 30 });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses managers and agents of the company with 403', async () => {
    const { a } = world();
    for (const token of [world().tokens.managerA, world().tokens.agentA]) {
      const response = await world().call(token, 'PATCH', `/v1/companies/${a.id}`, { retentionDays: 30 });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
  });

  it('answers 400 to an empty body, unknown fields, bad values and a malformed id', async () => {
    const { a } = world();
    for (const body of [{}, { plan: 'gold' }, { retentionDays: 0 }, { retentionDays: 1.5 }, { name: '' }]) {
      const response = await world().call(world().tokens.superadmin, 'PATCH', `/v1/companies/${a.id}`, body);
      expect(response.statusCode).toBe(400);
    }
    expect((await world().call(world().tokens.superadmin, 'PATCH', '/v1/companies/not-a-uuid', { retentionDays: 30 })).statusCode).toBe(400);
  });
});
