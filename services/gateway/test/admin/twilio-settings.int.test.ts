import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProviderSecrets, type TwilioSecrets } from '@callvault/db';
import { fakeTwilioAccountSid } from '@callvault/testing';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

beforeAll(async () => {
  world = await createAdminWorld();
});

afterAll(async () => {
  await world?.close();
});

const secret = () => randomBytes(16).toString('hex');
const apiKeySid = () => `SK${randomBytes(16).toString('hex')}`;

async function storedAccount(companyId: string) {
  const row = await world.env.ownerDb.selectFrom('provider_accounts').selectAll().where('company_id', '=', companyId).where('provider', '=', 'twilio').executeTakeFirstOrThrow();
  return { row, secrets: openProviderSecrets<TwilioSecrets>(world.env.box, row) };
}

describe('/v1/settings/twilio', () => {
  const accountSid = fakeTwilioAccountSid();
  const authToken = secret();
  const apiKeySecret = secret();

  it('shows an unconfigured company, and a first PUT needs the auth token', async () => {
    const empty = await world.call(world.tokens.adminA, 'GET', '/v1/settings/twilio');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ configured: false, accountSid: null, authTokenSet: false });
    const missing = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('authToken is required to configure Twilio');
  });

  it('stores the credentials sealed and never shows a secret', async () => {
    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, authToken, apiKeySid: apiKeySid(), apiKeySecret });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ configured: true, accountSid, authTokenSet: true, apiKeySecretSet: true, deleteFromProviderAfterArchive: false });
    const get = await world.call(world.tokens.adminA, 'GET', '/v1/settings/twilio');
    expect(get.json()).toEqual(put.json());
    for (const response of [put, get]) {
      expect(response.body).not.toContain(authToken);
      expect(response.body).not.toContain(apiKeySecret);
    }
    const { row, secrets } = await storedAccount(world.a.id);
    expect(row.secrets_sealed).not.toContain(authToken);
    expect(secrets).toMatchObject({ authToken, apiKeySecret });
  });

  it('keeps the stored secrets when a PUT for the same account omits them', async () => {
    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, deleteFromProviderAfterArchive: true });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ authTokenSet: true, apiKeySecretSet: true, deleteFromProviderAfterArchive: true });
    const { row, secrets } = await storedAccount(world.a.id);
    expect(secrets.authToken).toBe(authToken);
    expect(secrets.apiKeySecret).toBe(apiKeySecret);
    expect(row.settings).toEqual({ deleteFromProviderAfterArchive: true });
  });

  it('removes the API key on apiKeySid: null and asks for secrets that belong to a new account or key', async () => {
    const removed = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, apiKeySid: null });
    expect(removed.json()).toMatchObject({ apiKeySid: null, apiKeySecretSet: false, authTokenSet: true, deleteFromProviderAfterArchive: true });
    expect((await storedAccount(world.a.id)).secrets).toEqual({ authToken });

    const newKey = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, apiKeySid: apiKeySid() });
    expect(newKey.statusCode).toBe(400);
    expect(newKey.json().message).toBe('apiKeySecret is required with a new apiKeySid');
    const newAccount = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid: fakeTwilioAccountSid() });
    expect(newAccount.statusCode).toBe(400);
    expect(newAccount.json().message).toBe('authToken is required when accountSid changes');
    expect((await storedAccount(world.a.id)).row.external_id).toBe(accountSid);
  });

  it('audits every change without a secret in the trail', async () => {
    const trail = await auditTrail(world.env, world.a.id, 'settings.twilio.update');
    expect(trail).toHaveLength(3);
    expect(trail[0]).toMatchObject({ actor_user_id: world.users.adminA.id, details: { accountSid, created: true } });
    expect(trail[1]!.details).toMatchObject({ created: false, changed: ['deleteFromProviderAfterArchive'] });
    expect(trail[2]!.details).toMatchObject({ changed: ['apiKeySid'] });
    const text = JSON.stringify(trail);
    expect(text).not.toContain(authToken);
    expect(text).not.toContain(apiKeySecret);
  });

  it('answers 400 to unknown fields and malformed values', async () => {
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, authToken, region: 'ie1' })).statusCode).toBe(400);
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid: 'AC123', authToken })).statusCode).toBe(400);
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/settings/twilio?verbose=1')).statusCode).toBe(400);
  });

  it('refuses agents and managers (403) and another company (404)', async () => {
    for (const token of [world.tokens.agentA, world.tokens.managerA]) {
      expect((await world.call(token, 'GET', '/v1/settings/twilio')).statusCode).toBe(403);
      expect((await world.call(token, 'PUT', '/v1/settings/twilio', { accountSid, authToken })).statusCode).toBe(403);
    }
    expect((await world.call(world.tokens.adminB, 'GET', `/v1/settings/twilio?companyId=${world.a.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminB, 'PUT', '/v1/settings/twilio', { companyId: world.a.id, accountSid, authToken: secret() })).statusCode).toBe(404);
    expect((await storedAccount(world.a.id)).secrets.authToken).toBe(authToken);
    const other = await world.call(world.tokens.adminB, 'GET', '/v1/settings/twilio');
    expect(other.json()).toMatchObject({ configured: false });
  });

  it('lets a superadmin read and change a named company, audited there, still without secrets', async () => {
    expect((await world.call(world.tokens.superadmin, 'GET', '/v1/settings/twilio')).statusCode).toBe(400);
    const get = await world.call(world.tokens.superadmin, 'GET', `/v1/settings/twilio?companyId=${world.a.id}`);
    expect(get.statusCode).toBe(200);
    expect(get.json().accountSid).toBe(accountSid);
    expect(get.body).not.toContain(authToken);
    const read = await auditTrail(world.env, world.a.id, 'settings.twilio.read');
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ actor_role: 'superadmin' });

    const bSid = fakeTwilioAccountSid();
    const put = await world.call(world.tokens.superadmin, 'PUT', `/v1/settings/twilio?companyId=${world.b.id}`, { accountSid: bSid, authToken: secret() });
    expect(put.statusCode).toBe(200);
    expect((await storedAccount(world.b.id)).row.external_id).toBe(bSid);
    expect(await auditTrail(world.env, world.b.id, 'settings.twilio.update')).toHaveLength(1);
  });
});
