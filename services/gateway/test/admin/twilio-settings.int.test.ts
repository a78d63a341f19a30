import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openProviderSecrets, type TwilioSecrets } from '@callvault/db';
import { startSimulator, type SimAccount } from '@callvault/simulator';
import { fakeTwilioAccountSid, seedCompany, seedUser, tokenFor, openForFile } from '@callvault/testing';
import { auditTrail, createAdminWorld } from './admin-test-kit';

const sim = openForFile(startSimulator);
const world = openForFile(() => createAdminWorld({ TWILIO_API_BASE_URL: sim().baseUrl }));

const apiKeySid = () => `SK${randomBytes(16).toString('hex')}`;

/** A Twilio account at the simulated Twilio, with an API key of its own. */
function twilioAccount(): SimAccount & { keySid: string; keySecret: string } {
  const account = sim().state.addAccount();
  const keySid = apiKeySid();
  const keySecret = randomBytes(16).toString('hex');
  account.apiKeys.set(keySid, keySecret);
  return Object.assign(account, { keySid, keySecret });
}

async function storedAccount(companyId: string) {
  const row = await world()
    .env.ownerDb.selectFrom('provider_accounts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('provider', '=', 'twilio')
    .executeTakeFirstOrThrow();
  return { row, secrets: openProviderSecrets<TwilioSecrets>(world().env.box, row) };
}

describe('/v1/settings/twilio', () => {
  let account: ReturnType<typeof twilioAccount>;
  let accountSid: string;
  /** The first token: rotated away in a later test. */
  let authToken: string;
  beforeAll(() => {
    account = twilioAccount();
    ({ accountSid, authToken } = account);
  });

  it('shows an unconfigured company, and a first PUT needs the auth token', async () => {
    const empty = await world().call(world().tokens.adminA, 'GET', '/v1/settings/twilio');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ configured: false, accountSid: null, authTokenSet: false, shared: false, provenAt: null });
    const missing = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toBe('authToken is required to configure Twilio');
  });

  it('proves the credentials with Twilio before saving, stores them sealed and never shows a secret', async () => {
    const put = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', {
      accountSid,
      authToken,
      apiKeySid: account.keySid,
      apiKeySecret: account.keySecret,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      configured: true,
      accountSid,
      authTokenSet: true,
      apiKeySecretSet: true,
      deleteFromProviderAfterArchive: false,
      shared: false,
      provenAt: expect.any(String),
    });
    const get = await world().call(world().tokens.adminA, 'GET', '/v1/settings/twilio');
    expect(get.json()).toEqual(put.json());
    for (const response of [put, get]) {
      expect(response.body).not.toContain(authToken);
      expect(response.body).not.toContain(account.keySecret);
    }
    const { row, secrets } = await storedAccount(world().a.id);
    expect(row.secrets_sealed).not.toContain(authToken);
    expect(row.proven_at).not.toBeNull();
    expect(secrets).toMatchObject({ authToken, apiKeySecret: account.keySecret });
  });

  it('keeps the stored secrets when a PUT for the same account omits them, without asking Twilio again', async () => {
    const provenBefore = (await storedAccount(world().a.id)).row.proven_at;
    const put = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, deleteFromProviderAfterArchive: true });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ authTokenSet: true, apiKeySecretSet: true, deleteFromProviderAfterArchive: true });
    const { row, secrets } = await storedAccount(world().a.id);
    expect(secrets.authToken).toBe(authToken);
    expect(secrets.apiKeySecret).toBe(account.keySecret);
    expect(row.settings).toEqual({ deleteFromProviderAfterArchive: true, deleteFromProviderOnErasure: false });
    expect(row.proven_at).toEqual(provenBefore);
  });

  it('refuses credentials Twilio does not confirm (422), and an unreachable Twilio (503), saving nothing', async () => {
    const before = await storedAccount(world().a.id);
    const madeUp = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, authToken: 'made-up-token-123' });
    expect(madeUp.statusCode).toBe(422);
    expect(madeUp.json()).toMatchObject({ code: 'provider_credentials_invalid' });
    expect(madeUp.body).not.toContain('made-up-token-123');
    const wrongKey = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', {
      accountSid,
      apiKeySid: apiKeySid(),
      apiKeySecret: 'not-a-key-secret',
    });
    expect(wrongKey.statusCode).toBe(422);
    expect((await storedAccount(world().a.id)).row.secrets_sealed).toBe(before.row.secrets_sealed);

    const offline = await createAdminWorld({ TWILIO_API_BASE_URL: 'http://127.0.0.1:9' });
    try {
      const fresh = twilioAccount();
      const response = await offline.call(offline.tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid: fresh.accountSid, authToken: fresh.authToken });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('provider_unavailable');
      expect((await offline.call(offline.tokens.adminA, 'GET', '/v1/settings/twilio')).json()).toMatchObject({ configured: false });
    } finally {
      await offline.close();
    }
  });

  it('rotating the token proves the new one', async () => {
    account.authToken = randomBytes(16).toString('hex');
    const rotated = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, authToken: account.authToken });
    expect(rotated.statusCode).toBe(200);
    expect((await storedAccount(world().a.id)).secrets.authToken).toBe(account.authToken);
    const stale = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, authToken });
    expect(stale.statusCode).toBe(422);
  });

  it('removes the API key on apiKeySid: null and asks for secrets that belong to a new account or key', async () => {
    const removed = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, apiKeySid: null });
    expect(removed.json()).toMatchObject({ apiKeySid: null, apiKeySecretSet: false, authTokenSet: true, deleteFromProviderAfterArchive: true });
    expect((await storedAccount(world().a.id)).secrets).toEqual({ authToken: account.authToken });

    const newKey = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, apiKeySid: apiKeySid() });
    expect(newKey.statusCode).toBe(400);
    expect(newKey.json().detail).toBe('apiKeySecret is required with a new apiKeySid');
    const newAccount = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid: fakeTwilioAccountSid() });
    expect(newAccount.statusCode).toBe(400);
    expect(newAccount.json().detail).toBe('authToken is required when accountSid changes');
    expect((await storedAccount(world().a.id)).row.external_id).toBe(accountSid);
  });

  it('audits every change without a secret in the trail', async () => {
    const trail = await auditTrail(world().env, world().a.id, 'settings.twilio.update');
    expect(trail).toHaveLength(4);
    expect(trail[0]).toMatchObject({ actor_user_id: world().users.adminA.id, details: { accountSid, created: true, proven: true } });
    expect(trail[1]!.details).toMatchObject({ created: false, proven: false, changed: ['deleteFromProviderAfterArchive'] });
    expect(trail[2]!.details).toMatchObject({ proven: true, changed: ['authToken'] });
    expect(trail[3]!.details).toMatchObject({ changed: ['apiKeySid'] });
    const text = JSON.stringify(trail);
    expect(text).not.toContain(authToken);
    expect(text).not.toContain(account.authToken);
    expect(text).not.toContain(account.keySecret);
  });

  it("records the company's wish that Twilio's copy goes when a recording is erased, audited", async () => {
    const put = await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, deleteFromProviderOnErasure: true });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ deleteFromProviderOnErasure: true, deleteFromProviderAfterArchive: true });
    expect((await world().call(world().tokens.adminA, 'GET', '/v1/settings/twilio')).json()).toMatchObject({ deleteFromProviderOnErasure: true });
    expect((await storedAccount(world().a.id)).row.settings).toMatchObject({ deleteFromProviderOnErasure: true });
    const trail = await auditTrail(world().env, world().a.id, 'settings.twilio.update');
    expect(trail.at(-1)!.details).toMatchObject({ changed: ['deleteFromProviderOnErasure'] });
    expect((await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, deleteFromProviderOnErasure: 'yes' })).statusCode).toBe(400);
  });

  it('answers 400 to unknown fields and malformed values', async () => {
    expect((await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid, authToken, region: 'ie1' })).statusCode).toBe(400);
    expect((await world().call(world().tokens.adminA, 'PUT', '/v1/settings/twilio', { accountSid: 'AC123', authToken })).statusCode).toBe(400);
    expect((await world().call(world().tokens.adminA, 'GET', '/v1/settings/twilio?verbose=1')).statusCode).toBe(400);
  });

  it('refuses agents and managers (403) and another company (404)', async () => {
    for (const token of [world().tokens.agentA, world().tokens.managerA]) {
      expect((await world().call(token, 'GET', '/v1/settings/twilio')).statusCode).toBe(403);
      expect((await world().call(token, 'PUT', '/v1/settings/twilio', { accountSid, authToken })).statusCode).toBe(403);
    }
    expect((await world().call(world().tokens.adminB, 'GET', `/v1/settings/twilio?companyId=${world().a.id}`)).statusCode).toBe(404);
    expect(
      (await world().call(world().tokens.adminB, 'PUT', '/v1/settings/twilio', { companyId: world().a.id, accountSid, authToken: 'another-token-1' }))
        .statusCode,
    ).toBe(404);
    expect((await storedAccount(world().a.id)).secrets.authToken).toBe(account.authToken);
    const other = await world().call(world().tokens.adminB, 'GET', '/v1/settings/twilio');
    expect(other.json()).toMatchObject({ configured: false });
  });

  it('lets a superadmin read and change a named company, audited there, still without secrets', async () => {
    expect((await world().call(world().tokens.superadmin, 'GET', '/v1/settings/twilio')).statusCode).toBe(400);
    const get = await world().call(world().tokens.superadmin, 'GET', `/v1/settings/twilio?companyId=${world().a.id}`);
    expect(get.statusCode).toBe(200);
    expect(get.json().accountSid).toBe(accountSid);
    expect(get.body).not.toContain(account.authToken);
    const read = await auditTrail(world().env, world().a.id, 'settings.twilio.read');
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ actor_role: 'superadmin' });

    const forB = twilioAccount();
    const put = await world().call(world().tokens.superadmin, 'PUT', `/v1/settings/twilio?companyId=${world().b.id}`, {
      accountSid: forB.accountSid,
      authToken: forB.authToken,
    });
    expect(put.statusCode).toBe(200);
    expect((await storedAccount(world().b.id)).row.external_id).toBe(forB.accountSid);
    expect(await auditTrail(world().env, world().b.id, 'settings.twilio.update')).toHaveLength(1);
  });
});

describe('one account, one company', () => {
  it("answers a hostile admin who claims another company's account 422 without the token and 409 with it, the same whoever holds it", async () => {
    // Company A holds `victim`. Company C's admin tries it with a made-up token, then with the real one.
    const victim = twilioAccount();
    const owner = await seedCompany(world().env);
    const ownerAdmin = await seedUser(world().env, owner.id, 'company_admin');
    expect(
      (
        await world().call(await tokenFor(world().env, ownerAdmin.subject), 'PUT', '/v1/settings/twilio', {
          accountSid: victim.accountSid,
          authToken: victim.authToken,
        })
      ).statusCode,
    ).toBe(200);
    const attacker = await seedCompany(world().env);
    const attackerToken = await tokenFor(world().env, (await seedUser(world().env, attacker.id, 'company_admin')).subject);

    const madeUp = await world().call(attackerToken, 'PUT', '/v1/settings/twilio', { accountSid: victim.accountSid, authToken: 'made-up-by-the-attacker' });
    expect(madeUp.statusCode).toBe(422);
    const taken = await world().call(attackerToken, 'PUT', '/v1/settings/twilio', { accountSid: victim.accountSid, authToken: victim.authToken });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'provider_account_unavailable' });
    expect(taken.body).not.toContain(owner.id);

    // The same answer when the holder is the platform's shared registration.
    const shared = twilioAccount();
    const clinic = await seedCompany(world().env);
    expect(
      (
        await world().call(world().tokens.superadmin, 'PUT', `/v1/settings/twilio?companyId=${clinic.id}`, {
          accountSid: shared.accountSid,
          authToken: shared.authToken,
          shared: true,
        })
      ).statusCode,
    ).toBe(200);
    const sharedTaken = await world().call(attackerToken, 'PUT', '/v1/settings/twilio', { accountSid: shared.accountSid, authToken: shared.authToken });
    expect(sharedTaken.statusCode).toBe(409);
    // The same answer whoever holds the account: only the request id differs.
    expect({ ...sharedTaken.json(), requestId: undefined }).toEqual({ ...taken.json(), requestId: undefined });
    expect(await world().env.ownerDb.selectFrom('provider_accounts').select('id').where('company_id', '=', attacker.id).execute()).toEqual([]);
  });

  it("lets only a superadmin share an account, and keeps a shared account the operator's to change", async () => {
    const shared = twilioAccount();
    const [clinicA, clinicB] = [await seedCompany(world().env), await seedCompany(world().env)];
    const clinicAdmin = await tokenFor(world().env, (await seedUser(world().env, clinicA.id, 'company_admin')).subject);

    const selfShared = await world().call(clinicAdmin, 'PUT', '/v1/settings/twilio', {
      accountSid: shared.accountSid,
      authToken: shared.authToken,
      shared: true,
    });
    expect(selfShared.statusCode).toBe(403);
    for (const clinic of [clinicA, clinicB]) {
      const put = await world().call(world().tokens.superadmin, 'PUT', `/v1/settings/twilio?companyId=${clinic.id}`, {
        accountSid: shared.accountSid,
        authToken: shared.authToken,
        shared: true,
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ shared: true });
    }
    // Unshared next to shared registrations of one account is refused, by the superadmin too.
    const third = await seedCompany(world().env);
    expect(
      (
        await world().call(world().tokens.superadmin, 'PUT', `/v1/settings/twilio?companyId=${third.id}`, {
          accountSid: shared.accountSid,
          authToken: shared.authToken,
        })
      ).statusCode,
    ).toBe(409);
    // The clinic's admin can read the settings but not change them.
    expect((await world().call(clinicAdmin, 'GET', '/v1/settings/twilio')).json()).toMatchObject({ shared: true, accountSid: shared.accountSid });
    expect(
      (await world().call(clinicAdmin, 'PUT', '/v1/settings/twilio', { accountSid: shared.accountSid, deleteFromProviderAfterArchive: true })).statusCode,
    ).toBe(403);
  });

  it('checks registrations older than the proof too: an unproven one elsewhere blocks a new one', async () => {
    const legacy = twilioAccount();
    const [old, claimant] = [await seedCompany(world().env), await seedCompany(world().env)];
    await world()
      .env.ownerDb.insertInto('provider_accounts')
      .values({ company_id: old.id, provider: 'twilio', external_id: legacy.accountSid, secrets_sealed: 'v1.k1.x.x.x' })
      .execute();
    const response = await world().call(world().tokens.superadmin, 'PUT', `/v1/settings/twilio?companyId=${claimant.id}`, {
      accountSid: legacy.accountSid,
      authToken: legacy.authToken,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('provider_account_unavailable');
  });
});
