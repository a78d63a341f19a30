import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCallWithRecording } from '../recordings/recordings-test-kit';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

beforeAll(async () => {
  // The overlap's end is played by writing the row (another process, for this replica): the cache's
  // bound for such writes is tested in principal-cache.int.test.ts.
  world = await createAdminWorld({ PRINCIPAL_CACHE_SECONDS: '0' });
});
afterAll(async () => world?.close());

/** A request with an API key instead of a JWT. */
const withKey = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  world.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, 'user-agent': 'crm-integration' },
    ...(body === undefined ? {} : { payload: body as object }),
  });

async function createKey(body: Record<string, unknown>, token = world.tokens.adminA) {
  const response = await world.call(token, 'POST', '/v1/api-keys', { name: 'CRM', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; key: string; prefix: string; userId: string; readOnly: boolean };
}

/** Time passes for one key: its expiry is now behind it. */
const expireNow = (keyId: string) =>
  world.env.ownerDb
    .updateTable('api_keys')
    .set({ expires_at: new Date(Date.now() - 1_000) })
    .where('id', '=', keyId)
    .execute();

describe('API keys', () => {
  it('are shown once, stored only as a hash, and act as their user within that user’s scope', async () => {
    const mine = await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id);
    const others = await seedCallWithRecording(world.env, world.a.id, world.users.managerA.id);
    const inB = await seedCallWithRecording(world.env, world.b.id, world.users.agentB.id);

    const agentKey = await createKey({ role: 'agent', userId: world.users.agentA.id });
    expect(agentKey.key).toMatch(/^cvk_[A-Za-z0-9_-]{32}$/);
    expect(agentKey.key.startsWith(agentKey.prefix)).toBe(true);
    const stored = await world.env.ownerDb.selectFrom('api_keys').selectAll().where('id', '=', agentKey.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(createHash('sha256').update(agentKey.key).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(agentKey.key);
    const listed = (await world.call(world.tokens.adminA, 'GET', '/v1/api-keys')).json();
    expect(JSON.stringify(listed)).not.toContain(agentKey.key);
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(agentKey.id);

    const seen = (await withKey(agentKey.key, 'GET', '/v1/recordings')).json().items.map((item: { id: string }) => item.id);
    expect(seen).toContain(mine.recording.id);
    expect(seen).not.toContain(others.recording.id);
    expect(seen).not.toContain(inB.recording.id);
    expect((await withKey(agentKey.key, 'GET', `/v1/recordings/${inB.recording.id}`)).statusCode).toBe(404);

    const adminKey = await createKey({ role: 'company_admin' });
    expect(adminKey.userId).toBe(world.users.adminA.id);
    const companyWide = (await withKey(adminKey.key, 'GET', '/v1/recordings')).json().items.map((item: { id: string }) => item.id);
    expect(companyWide).toEqual(expect.arrayContaining([mine.recording.id, others.recording.id]));
    expect(companyWide).not.toContain(inB.recording.id);
  });

  it('are read-only by default (403 on any write), and a writable key writes as its user', async () => {
    const { recording } = await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id);
    const readOnly = await createKey({ role: 'agent', userId: world.users.agentA.id });
    expect(readOnly.readOnly).toBe(true);
    const refused = await withKey(readOnly.key, 'PATCH', `/v1/recordings/${recording.id}`, { starred: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('this API key is read-only');

    const writable = await createKey({ role: 'agent', userId: world.users.agentA.id, readOnly: false });
    expect((await withKey(writable.key, 'PATCH', `/v1/recordings/${recording.id}`, { starred: true })).statusCode).toBe(200);
    const trail = await auditTrail(world.env, world.a.id, 'recording.update');
    expect(trail.at(-1)).toMatchObject({
      actor_user_id: world.users.agentA.id,
      actor_subject: `api-key:${writable.id}`,
      details: expect.objectContaining({ apiKeyId: writable.id }),
    });
  });

  it('audit every use under the key, and record when it was last used', async () => {
    const key = await createKey({ role: 'manager', userId: world.users.managerA.id });
    expect((await withKey(key.key, 'GET', '/v1/calls')).statusCode).toBe(200);
    expect((await withKey(key.key, 'GET', '/v1/recordings/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const uses = (await auditTrail(world.env, world.a.id, 'api_key.use')).filter((event) => event.target_id === key.id);
    expect(uses.map((event) => event.details)).toEqual([
      { apiKeyId: key.id, method: 'GET', route: '/v1/calls', status: 200 },
      { apiKeyId: key.id, method: 'GET', route: '/v1/recordings/:id', status: 404 },
    ]);
    const row = await world.env.ownerDb.selectFrom('api_keys').select('last_used_at').where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it('stop working when revoked, expired, or when their user is disabled or changes role', async () => {
    const revoked = await createKey({ role: 'agent', userId: world.users.agentA.id });
    expect((await world.call(world.tokens.adminA, 'DELETE', `/v1/api-keys/${revoked.id}`)).statusCode).toBe(200);
    const afterRevoke = await withKey(revoked.key, 'GET', '/v1/me');
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.json().detail).toBe('the API key is invalid, revoked or expired');
    expect((await withKey('cvk_thisKeyWasNeverIssuedByAnyoneAtAll0', 'GET', '/v1/me')).statusCode).toBe(401);

    const expiring = await createKey({ role: 'agent', userId: world.users.agentA.id, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await expireNow(expiring.id);
    expect((await withKey(expiring.key, 'GET', '/v1/me')).statusCode).toBe(401);

    const managerKey = await createKey({ role: 'manager', userId: world.users.managerA.id });
    await world.env.ownerDb.updateTable('users').set({ role: 'agent' }).where('id', '=', world.users.managerA.id).execute();
    expect((await withKey(managerKey.key, 'GET', '/v1/me')).statusCode).toBe(403);
    await world.env.ownerDb.updateTable('users').set({ role: 'manager', disabled: true }).where('id', '=', world.users.managerA.id).execute();
    expect((await withKey(managerKey.key, 'GET', '/v1/me')).statusCode).toBe(403);
    await world.env.ownerDb.updateTable('users').set({ disabled: false }).where('id', '=', world.users.managerA.id).execute();
    expect((await withKey(managerKey.key, 'GET', '/v1/me')).statusCode).toBe(200);
  });

  it('rotate with an overlap during which both keys work, then only the new one', async () => {
    const old = await createKey({ role: 'agent', userId: world.users.agentA.id });
    const rotated = await world.call(world.tokens.adminA, 'POST', `/v1/api-keys/${old.id}/rotate`, { overlapSeconds: 60 });
    expect(rotated.statusCode).toBe(201);
    const successor = rotated.json();
    expect(successor.key).not.toBe(old.key);
    expect((await withKey(old.key, 'GET', '/v1/me')).statusCode).toBe(200);
    expect((await withKey(successor.key, 'GET', '/v1/me')).statusCode).toBe(200);
    const oldRow = await world.env.ownerDb.selectFrom('api_keys').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    expect(oldRow.rotated_to).toBe(successor.id);
    expect(oldRow.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 61_000);
    // The overlap ends.
    await expireNow(old.id);
    expect((await withKey(old.key, 'GET', '/v1/me')).statusCode).toBe(401);
    expect((await withKey(successor.key, 'GET', '/v1/me')).statusCode).toBe(200);
  });

  it('are managed by company admins of their own company only; keys cannot manage keys', async () => {
    const key = await createKey({ role: 'company_admin', readOnly: false });
    for (const token of [world.tokens.managerA, world.tokens.agentA]) {
      expect((await world.call(token, 'POST', '/v1/api-keys', { name: 'x', role: 'agent', userId: world.users.agentA.id })).statusCode).toBe(403);
      expect((await world.call(token, 'GET', '/v1/api-keys')).statusCode).toBe(403);
    }
    // Company B's admin: A's keys and users do not exist for it.
    expect((await world.call(world.tokens.adminB, 'DELETE', `/v1/api-keys/${key.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminB, 'POST', `/v1/api-keys/${key.id}/rotate`, {})).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminB, 'GET', '/v1/api-keys')).json().items.map((item: { id: string }) => item.id)).not.toContain(key.id);
    expect((await world.call(world.tokens.adminB, 'POST', '/v1/api-keys', { name: 'x', role: 'agent', userId: world.users.agentA.id })).statusCode).toBe(404);
    expect(
      (await world.call(world.tokens.adminB, 'POST', '/v1/api-keys', { name: 'x', role: 'agent', companyId: world.a.id, userId: world.users.agentB.id }))
        .statusCode,
    ).toBe(404);
    // A writable company_admin key still cannot mint or revoke keys.
    expect((await withKey(key.key, 'POST', '/v1/api-keys', { name: 'persist', role: 'company_admin' })).statusCode).toBe(403);
    expect((await withKey(key.key, 'DELETE', `/v1/api-keys/${key.id}`)).statusCode).toBe(403);
    // The key's role must be its user's.
    expect(
      (await world.call(world.tokens.adminA, 'POST', '/v1/api-keys', { name: 'x', role: 'company_admin', userId: world.users.agentA.id })).statusCode,
    ).toBe(400);
    expect((await world.call(world.tokens.adminA, 'POST', '/v1/api-keys', { name: 'x', role: 'manager' })).statusCode).toBe(400);
    expect(
      (
        await world.call(world.tokens.adminA, 'POST', '/v1/api-keys', {
          name: 'x',
          role: 'agent',
          userId: world.users.agentA.id,
          expiresAt: '2001-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    // A superadmin names the company and the admin the key acts as.
    const bySuperadmin = await world.call(world.tokens.superadmin, 'POST', '/v1/api-keys', {
      name: 'ops',
      role: 'company_admin',
      companyId: world.b.id,
      userId: world.users.adminB.id,
    });
    expect(bySuperadmin.statusCode).toBe(201);
    expect((await withKey(bySuperadmin.json().key, 'GET', '/v1/me')).json()).toMatchObject({ user: { id: world.users.adminB.id } });
  });

  it("are rate-limited per key (RATE_LIMIT_PER_MINUTE), without touching their user's own budget", async () => {
    const key = await createKey({ role: 'agent', userId: world.users.agentA.id });
    for (let sent = 0; sent < world.env.config.RATE_LIMIT_PER_MINUTE; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => withKey(key.key, 'GET', '/v1/me')));
      expect(batch.map((response) => response.statusCode)).toEqual(Array(50).fill(200));
    }
    expect((await withKey(key.key, 'GET', '/v1/me')).statusCode).toBe(429);
    expect((await world.call(world.tokens.agentA, 'GET', '/v1/me')).statusCode).toBe(200);
  });
});
