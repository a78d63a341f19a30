import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openProviderSecrets, type VapiSecrets } from '@callvault/db';
import { startSimulator, type SimVapiOrg } from '@callvault/simulator';
import { seedCompany, seedUser, tokenFor, openForFile } from '@callvault/testing';
import { auditTrail, createAdminWorld } from './admin-test-kit';

const sim = openForFile(startSimulator);
const world = openForFile(() => createAdminWorld({ VAPI_API_BASE_URL: sim().baseUrl }));

const secret = () => `s-${randomBytes(16).toString('hex')}`;

async function storedSecrets(companyId: string) {
  const row = await world()
    .env.ownerDb.selectFrom('provider_accounts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('provider', '=', 'vapi')
    .executeTakeFirstOrThrow();
  return { row, secrets: openProviderSecrets<VapiSecrets>(world().env.box, row) };
}

describe('/v1/settings/vapi', () => {
  let org: SimVapiOrg;
  let newOrg: SimVapiOrg;
  const webhookSecret = secret();
  const webhookHmacKey = secret();
  beforeAll(() => {
    org = sim().vapi.addOrg();
    newOrg = sim().vapi.addOrg();
  });

  it('needs the private API key: it proves the org', async () => {
    const missing = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: org.orgId, webhookSecret });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/apiKey is required/);
  });

  it('proves the org with VAPI, stores the org and its secrets, and GET shows only which secrets are set', async () => {
    expect((await world().call(world().tokens.adminA, 'GET', '/v1/settings/vapi')).json()).toMatchObject({ configured: false, orgId: null });
    const put = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: org.orgId, apiKey: org.apiKey, webhookSecret });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      configured: true,
      orgId: org.orgId,
      apiKeySet: true,
      webhookSecretSet: true,
      webhookHmacKeySet: false,
      shared: false,
      provenAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const get = await world().call(world().tokens.adminA, 'GET', '/v1/settings/vapi');
    expect(get.json()).toEqual(put.json());
    for (const response of [put, get]) {
      for (const value of [org.apiKey, webhookSecret]) expect(response.body).not.toContain(value);
    }
    expect((await storedSecrets(world().a.id)).row.secrets_sealed).not.toContain(org.apiKey);
  });

  it("refuses another org's key or a made-up one (422), saving nothing", async () => {
    const before = (await storedSecrets(world().a.id)).row.secrets_sealed;
    for (const apiKey of [newOrg.apiKey, 'made-up-key-123']) {
      const response = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: org.orgId, apiKey });
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('provider_credentials_invalid');
    }
    expect((await storedSecrets(world().a.id)).row.secrets_sealed).toBe(before);
  });

  it('keeps omitted secrets, sets given ones and removes null ones (proving the org again)', async () => {
    const put = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: org.orgId, webhookHmacKey, webhookSecret: null });
    expect(put.json()).toMatchObject({ apiKeySet: true, webhookSecretSet: false, webhookHmacKeySet: true });
    expect(put.body).not.toContain(webhookHmacKey);
    expect((await storedSecrets(world().a.id)).secrets).toEqual({ apiKey: org.apiKey, webhookHmacKey });
  });

  it('drops the stored secrets when the org changes, as they belonged to the old one', async () => {
    const put = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: newOrg.orgId, apiKey: newOrg.apiKey, webhookSecret });
    expect(put.json()).toMatchObject({ orgId: newOrg.orgId, apiKeySet: true, webhookSecretSet: true, webhookHmacKeySet: false });
    expect((await storedSecrets(world().a.id)).secrets).toEqual({ apiKey: newOrg.apiKey, webhookSecret });
  });

  it('audits each change by field name, never by value', async () => {
    const trail = await auditTrail(world().env, world().a.id, 'settings.vapi.update');
    expect(trail.map((event) => (event.details as { changed: string[] }).changed)).toEqual([
      ['orgId', 'apiKey', 'webhookSecret'],
      ['webhookSecret', 'webhookHmacKey'],
      ['orgId', 'apiKey', 'webhookSecret', 'webhookHmacKey'],
    ]);
    const text = JSON.stringify(trail);
    for (const value of [org.apiKey, newOrg.apiKey, webhookSecret, webhookHmacKey]) expect(text).not.toContain(value);
  });

  it('answers 400 to unknown fields, 403 to agents and managers, 404 to another company', async () => {
    expect((await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: org.orgId, publicKey: 'x' })).statusCode).toBe(400);
    expect((await world().call(world().tokens.adminA, 'PUT', '/v1/settings/vapi', { orgId: 'bad org id!' })).statusCode).toBe(400);
    for (const token of [world().tokens.agentA, world().tokens.managerA]) {
      expect((await world().call(token, 'GET', '/v1/settings/vapi')).statusCode).toBe(403);
      expect((await world().call(token, 'PUT', '/v1/settings/vapi', { orgId: org.orgId })).statusCode).toBe(403);
    }
    expect((await world().call(world().tokens.adminB, 'GET', `/v1/settings/vapi?companyId=${world().a.id}`)).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminB, 'PUT', `/v1/settings/vapi?companyId=${world().a.id}`, { orgId: org.orgId })).statusCode).toBe(404);
  });

  it('lets a superadmin read a named company, audited there', async () => {
    const get = await world().call(world().tokens.superadmin, 'GET', `/v1/settings/vapi?companyId=${world().a.id}`);
    expect(get.statusCode).toBe(200);
    expect(get.body).not.toContain(webhookSecret);
    expect(await auditTrail(world().env, world().a.id, 'settings.vapi.read')).toHaveLength(1);
  });
});

describe('one org, one company', () => {
  it("answers a hostile admin claiming another company's org 422 with a made-up key, 409 with the real one", async () => {
    const victim = sim().vapi.addOrg();
    const owner = await seedCompany(world().env);
    const ownerToken = await tokenFor(world().env, (await seedUser(world().env, owner.id, 'company_admin')).subject);
    expect(
      (await world().call(ownerToken, 'PUT', '/v1/settings/vapi', { orgId: victim.orgId, apiKey: victim.apiKey, webhookSecret: secret() })).statusCode,
    ).toBe(200);
    const attacker = await seedCompany(world().env);
    const attackerToken = await tokenFor(world().env, (await seedUser(world().env, attacker.id, 'company_admin')).subject);
    const madeUp = await world().call(attackerToken, 'PUT', '/v1/settings/vapi', {
      orgId: victim.orgId,
      apiKey: 'attacker-made-this-up',
      webhookSecret: 'attacker-secret',
    });
    expect(madeUp.statusCode).toBe(422);
    const taken = await world().call(attackerToken, 'PUT', '/v1/settings/vapi', {
      orgId: victim.orgId,
      apiKey: victim.apiKey,
      webhookSecret: 'attacker-secret',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('provider_account_unavailable');
    expect(await world().env.ownerDb.selectFrom('provider_accounts').select('id').where('company_id', '=', attacker.id).execute()).toEqual([]);
  });
});
