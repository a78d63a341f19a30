import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProviderSecrets, type VapiSecrets } from '@callvault/db';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

beforeAll(async () => {
  world = await createAdminWorld();
});

afterAll(async () => {
  await world?.close();
});

const secret = () => `s-${randomBytes(16).toString('hex')}`;

async function storedSecrets(companyId: string) {
  const row = await world.env.ownerDb.selectFrom('provider_accounts').selectAll().where('company_id', '=', companyId).where('provider', '=', 'vapi').executeTakeFirstOrThrow();
  return { row, secrets: openProviderSecrets<VapiSecrets>(world.env.box, row) };
}

describe('/v1/settings/vapi', () => {
  const orgId = randomUUID();
  const apiKey = secret();
  const webhookSecret = secret();
  const webhookHmacKey = secret();

  it('stores the org and its secrets, and GET shows only which secrets are set', async () => {
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/settings/vapi')).json()).toMatchObject({ configured: false, orgId: null });
    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId, apiKey, webhookSecret });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ configured: true, orgId, apiKeySet: true, webhookSecretSet: true, webhookHmacKeySet: false, updatedAt: expect.any(String) });
    const get = await world.call(world.tokens.adminA, 'GET', '/v1/settings/vapi');
    expect(get.json()).toEqual(put.json());
    for (const response of [put, get]) {
      for (const value of [apiKey, webhookSecret]) expect(response.body).not.toContain(value);
    }
    expect((await storedSecrets(world.a.id)).row.secrets_sealed).not.toContain(apiKey);
  });

  it('keeps omitted secrets, sets given ones and removes null ones', async () => {
    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId, webhookHmacKey, webhookSecret: null });
    expect(put.json()).toMatchObject({ apiKeySet: true, webhookSecretSet: false, webhookHmacKeySet: true });
    expect(put.body).not.toContain(webhookHmacKey);
    expect((await storedSecrets(world.a.id)).secrets).toEqual({ apiKey, webhookHmacKey });
  });

  it('drops the stored secrets when the org changes, as they belonged to the old one', async () => {
    const newOrg = randomUUID();
    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: newOrg, webhookSecret });
    expect(put.json()).toMatchObject({ orgId: newOrg, apiKeySet: false, webhookSecretSet: true, webhookHmacKeySet: false });
    expect((await storedSecrets(world.a.id)).secrets).toEqual({ webhookSecret });
  });

  it('audits each change by field name, never by value', async () => {
    const trail = await auditTrail(world.env, world.a.id, 'settings.vapi.update');
    expect(trail.map((event) => (event.details as { changed: string[] }).changed)).toEqual([
      ['orgId', 'apiKey', 'webhookSecret'],
      ['webhookSecret', 'webhookHmacKey'],
      ['orgId', 'apiKey', 'webhookSecret', 'webhookHmacKey'],
    ]);
    const text = JSON.stringify(trail);
    for (const value of [apiKey, webhookSecret, webhookHmacKey]) expect(text).not.toContain(value);
  });

  it('answers 400 to unknown fields, 403 to agents and managers, 404 to another company', async () => {
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId, publicKey: 'x' })).statusCode).toBe(400);
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: 'bad org id!' })).statusCode).toBe(400);
    for (const token of [world.tokens.agentA, world.tokens.managerA]) {
      expect((await world.call(token, 'GET', '/v1/settings/vapi')).statusCode).toBe(403);
      expect((await world.call(token, 'PUT', '/v1/settings/vapi', { orgId })).statusCode).toBe(403);
    }
    expect((await world.call(world.tokens.adminB, 'GET', `/v1/settings/vapi?companyId=${world.a.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminB, 'PUT', `/v1/settings/vapi?companyId=${world.a.id}`, { orgId })).statusCode).toBe(404);
  });

  it('lets a superadmin read a named company, audited there', async () => {
    const get = await world.call(world.tokens.superadmin, 'GET', `/v1/settings/vapi?companyId=${world.a.id}`);
    expect(get.statusCode).toBe(200);
    expect(get.body).not.toContain(webhookSecret);
    expect(await auditTrail(world.env, world.a.id, 'settings.vapi.read')).toHaveLength(1);
  });
});
