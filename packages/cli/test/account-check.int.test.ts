import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProviderAccount, withCompany, type Company } from '@callvault/db';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedTwilioAccount, type TestEnvironment } from '@callvault/testing';
import { checkProviderAccounts } from '../src/account-check';

let sim: Simulator;
let env: TestEnvironment;

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl, VAPI_API_BASE_URL: sim.baseUrl });
});

afterAll(async () => {
  await env?.close();
  await sim?.close();
});

/** A registration as callvault stored it before ownership had to be proven. */
async function legacy(companyId: string, provider: 'twilio' | 'vapi', externalId: string, secrets: Record<string, string>) {
  return withCompany(env.db, companyId, (tx) => upsertProviderAccount(tx, env.box, { provider, externalId, secrets }));
}

const registrations = () => env.ownerDb.selectFrom('provider_accounts').select(['company_id', 'external_id', 'proven_at']).execute();

describe('callvault accounts check', () => {
  it('proves registrations older than the check, and reports (and with --detach removes) refused ones and accounts held twice', async () => {
    const [owner, impostor, honest, copier, apiOwner] = (await Promise.all([1, 2, 3, 4, 5].map(() => seedCompany(env)))) as [
      Company,
      Company,
      Company,
      Company,
      Company,
    ];
    // The owner's genuine legacy registration, and an impostor's claim of it with a made-up token.
    const victim = sim.state.addAccount();
    await legacy(owner.id, 'twilio', victim.accountSid, { authToken: victim.authToken });
    await legacy(impostor.id, 'twilio', victim.accountSid, { authToken: 'made-up-token-1' });
    // A VAPI org registered without the private key cannot be proven.
    const org = sim.vapi.addOrg();
    await legacy(honest.id, 'vapi', org.orgId, { webhookSecret: 'hook-1' });
    // An account proven through the API, and a legacy copy of it (its real token) in another company.
    const proven = sim.state.addAccount();
    await seedTwilioAccount(env, apiOwner.id, { accountSid: proven.accountSid, authToken: proven.authToken });
    await legacy(copier.id, 'twilio', proven.accountSid, { authToken: proven.authToken });

    const dry = await checkProviderAccounts({ db: env.db, config: env.config, box: env.box, detach: false });
    expect(dry.examined).toBe(5);
    expect(dry.refused.map((entry) => [entry.companyId, entry.detached])).toEqual(
      expect.arrayContaining([
        [impostor.id, false],
        [honest.id, false],
      ]),
    );
    expect(dry.refused).toHaveLength(2);
    expect(dry.heldTwice.map((entry) => entry.companyId)).toEqual([copier.id]);
    expect(dry.unreachable).toEqual([]);
    expect(await registrations()).toHaveLength(5);
    // What passed is marked proven now.
    expect((await registrations()).find((row) => row.company_id === owner.id)?.proven_at).not.toBeNull();

    const report = await checkProviderAccounts({ db: env.db, config: env.config, box: env.box, detach: true });
    expect(report.refused.every((entry) => entry.detached)).toBe(true);
    expect(report.heldTwice).toEqual([expect.objectContaining({ companyId: copier.id, detached: true })]);
    expect((await registrations()).map((row) => row.company_id).sort()).toEqual([owner.id, apiOwner.id].sort());
    expect(await checkProviderAccounts({ db: env.db, config: env.config, box: env.box, detach: true })).toMatchObject({
      examined: 2,
      proven: 2,
      refused: [],
      heldTwice: [],
    });
  });

  it('concludes nothing while the provider cannot be asked', async () => {
    const company = await seedCompany(env);
    await legacy(company.id, 'twilio', `AC${randomBytes(16).toString('hex')}`, { authToken: 'token-1' });
    const offline = { ...env.config, TWILIO_API_BASE_URL: 'http://127.0.0.1:9' };
    const report = await checkProviderAccounts({ db: env.db, config: offline, box: env.box, detach: true });
    expect(report.unreachable).toHaveLength(report.examined);
    expect(await registrations()).toHaveLength(3);
  });
});
