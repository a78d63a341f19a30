import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUser, tokenFor } from '@callvault/testing';
import { buildApp, composeGateway } from '../src';
import { createAdminWorld, type AdminWorld } from './admin/admin-test-kit';
import { bearerCaller, type BearerCall } from './bearer-caller';
import { seedCallWithRecording } from './recordings/recordings-test-kit';

const CACHE_SECONDS = 2;

let world: AdminWorld;
/** A second gateway replica on the same database, with its own cache. */
let otherReplica: FastifyInstance;
let callOther: BearerCall;

beforeAll(async () => {
  world = await createAdminWorld({ PRINCIPAL_CACHE_SECONDS: String(CACHE_SECONDS) });
  const { env } = world;
  otherReplica = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  callOther = bearerCaller(otherReplica, 'other-replica');
});
afterAll(async () => {
  await otherReplica?.close();
  await world?.close();
});

const status = async (response: Promise<{ statusCode: number; body: string }>) => (await response).statusCode;

describe('principal cache', () => {
  it('applies a disable and a re-enable made through this replica at once', async () => {
    const agent = await seedUser(world.env, world.a.id, 'agent');
    const token = await tokenFor(world.env, agent.subject);
    expect(await status(world.call(token, 'GET', '/v1/me'))).toBe(200);
    expect(await status(world.call(world.tokens.adminA, 'PATCH', `/v1/users/${agent.id}`, { disabled: true }))).toBe(200);
    const refused = await world.call(token, 'GET', '/v1/me');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBeDefined();
    expect(await status(world.call(world.tokens.adminA, 'PATCH', `/v1/users/${agent.id}`, { disabled: false }))).toBe(200);
    expect(await status(world.call(token, 'GET', '/v1/me'))).toBe(200);
  });

  it('applies a changed manager at once: the new report’s recordings appear, the old manager’s go', async () => {
    const manager = await seedUser(world.env, world.a.id, 'manager');
    const managerToken = await tokenFor(world.env, manager.subject);
    const agent = await seedUser(world.env, world.a.id, 'agent', { managerId: world.users.managerA.id });
    const { recording } = await seedCallWithRecording(world.env, world.a.id, agent.id);
    const ids = async (token: string) => ((await world.call(token, 'GET', '/v1/recordings?limit=100')).json().items as Array<{ id: string }>).map((r) => r.id);
    expect(await ids(managerToken)).not.toContain(recording.id);
    expect(await ids(world.tokens.managerA)).toContain(recording.id);
    expect(await status(world.call(world.tokens.adminA, 'PATCH', `/v1/users/${agent.id}`, { managerId: manager.id }))).toBe(200);
    expect(await ids(managerToken)).toContain(recording.id);
    expect(await ids(world.tokens.managerA)).not.toContain(recording.id);
  });

  it('stops a revoked API key at once', async () => {
    const created = await world.call(world.tokens.adminA, 'POST', '/v1/api-keys', { name: 'cache', role: 'agent', userId: world.users.agentA.id });
    expect(created.statusCode).toBe(201);
    const key = created.json() as { id: string; key: string };
    expect(await status(world.call(key.key, 'GET', '/v1/me'))).toBe(200);
    expect(await status(world.call(world.tokens.adminA, 'DELETE', `/v1/api-keys/${key.id}`))).toBeLessThan(300);
    expect(await status(world.call(key.key, 'GET', '/v1/me'))).toBe(401);
  });

  it(`applies a change made elsewhere within ${CACHE_SECONDS} s on another replica`, async () => {
    const agent = await seedUser(world.env, world.a.id, 'agent');
    const token = await tokenFor(world.env, agent.subject);
    expect(await status(callOther(token, 'GET', '/v1/me'))).toBe(200);
    const changedAt = Date.now();
    expect(await status(world.call(world.tokens.adminA, 'PATCH', `/v1/users/${agent.id}`, { role: 'manager' }))).toBe(200);
    // The other replica answers from its cache (it read the agent a moment ago), but never past the bound.
    let role = (await callOther(token, 'GET', '/v1/me')).json().role;
    expect(role).toBe('agent');
    while (role !== 'manager' && Date.now() - changedAt < (CACHE_SECONDS + 1) * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      role = (await callOther(token, 'GET', '/v1/me')).json().role;
    }
    expect(role).toBe('manager');
    expect(Date.now() - changedAt).toBeLessThan((CACHE_SECONDS + 1) * 1000);
  });

  it('keeps each caller to their own principal: nothing crosses companies', async () => {
    const [a, b] = await Promise.all([world.call(world.tokens.agentA, 'GET', '/v1/me'), world.call(world.tokens.adminB, 'GET', '/v1/me')]);
    expect(a.json().companyId).toBe(world.a.id);
    expect(b.json().companyId).toBe(world.b.id);
    // A hostile admin of B cannot reach A's users, and its attempt leaves A's cached callers as they were.
    expect(await status(world.call(world.tokens.adminB, 'PATCH', `/v1/users/${world.users.agentA.id}`, { disabled: true }))).toBe(404);
    expect(await status(world.call(world.tokens.agentA, 'GET', '/v1/me'))).toBe(200);
  });
});
