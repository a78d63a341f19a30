import { describe, expect, it } from 'vitest';
import { startSimulator } from '@callvault/simulator';
import { seedCompany, seedPhoneNumber, seedTwilioAccount, openForFile } from '@callvault/testing';
import { auditTrail, createAdminWorld } from './admin-test-kit';

const sim = openForFile(startSimulator);
const world = openForFile(() => createAdminWorld({ TWILIO_API_BASE_URL: sim().baseUrl }));

const ownNumbers = (companyId: string) =>
  world().env.ownerDb.selectFrom('phone_numbers').selectAll().where('company_id', '=', companyId).orderBy('e164').execute();

describe('POST /v1/phone-numbers/sync', () => {
  it("imports the account's new numbers as matchOn 'to', counts the known ones and leaves other companies' alone", async () => {
    const twilio = sim().state.addAccount();
    await seedTwilioAccount(world().env, world().a.id, { accountSid: twilio.accountSid, authToken: twilio.authToken });
    twilio.incomingNumbers.push(
      { sid: 'PN1', phoneNumber: '+13125550101', friendlyName: 'Main line' },
      { sid: 'PN2', phoneNumber: '+13125550102', friendlyName: 'Known' },
      { sid: 'PN3', phoneNumber: '+13125550103', friendlyName: 'Taken' },
      { sid: 'PN4', phoneNumber: '12345', friendlyName: 'Short code' },
    );
    await seedPhoneNumber(world().env, world().a.id, { e164: '+13125550102', matchOn: 'to' });
    await seedPhoneNumber(world().env, world().b.id, { e164: '+13125550103', matchOn: 'to' });

    const response = await world().call(world().tokens.adminA, 'POST', '/v1/phone-numbers/sync');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ imported: 1, alreadyRegistered: 1, conflicts: 1, skipped: 1 });
    expect(response.body).not.toContain(world().b.id);

    const rows = await ownNumbers(world().a.id);
    expect(rows.map((row) => [row.e164, row.match_on, row.label])).toEqual([
      ['+13125550101', 'to', 'Main line'],
      ['+13125550102', 'to', null],
    ]);
    expect((await ownNumbers(world().b.id)).map((row) => row.e164)).toEqual(['+13125550103']);
    const [event] = await auditTrail(world().env, world().a.id, 'phone_number.sync');
    expect(event).toMatchObject({ actor_user_id: world().users.adminA.id, details: { accountSid: twilio.accountSid, imported: 1, conflicts: 1 } });

    const again = await world().call(world().tokens.adminA, 'POST', '/v1/phone-numbers/sync');
    expect(again.json()).toEqual({ imported: 0, alreadyRegistered: 2, conflicts: 1, skipped: 1 });
  });

  it('answers 409 when the company has no Twilio account, 422 when Twilio refuses its credentials', async () => {
    const unconfigured = await world().call(world().tokens.adminB, 'POST', '/v1/phone-numbers/sync');
    expect(unconfigured.statusCode).toBe(409);
    expect(unconfigured.json().code).toBe('provider_not_configured');

    const twilio = sim().state.addAccount();
    await seedTwilioAccount(world().env, world().b.id, { accountSid: twilio.accountSid, authToken: 'not-the-token' });
    const rejected = await world().call(world().tokens.adminB, 'POST', '/v1/phone-numbers/sync');
    expect(rejected.statusCode).toBe(422);
    expect(rejected.json().code).toBe('provider_credentials_invalid');
    expect(rejected.body).not.toContain('not-the-token');
  });

  it('answers 403 to agents and managers, 404 to another company, 400 to unknown fields', async () => {
    expect((await world().call(world().tokens.agentA, 'POST', '/v1/phone-numbers/sync')).statusCode).toBe(403);
    expect((await world().call(world().tokens.managerA, 'POST', '/v1/phone-numbers/sync')).statusCode).toBe(403);
    expect((await world().call(world().tokens.adminA, 'POST', `/v1/phone-numbers/sync?companyId=${world().b.id}`)).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminA, 'POST', '/v1/phone-numbers/sync', { dryRun: true })).statusCode).toBe(400);
  });

  it("refuses to import a shared account's numbers into one company (409), for a superadmin too", async () => {
    const shared = sim().state.addAccount();
    shared.incomingNumbers.push({ sid: 'PN9', phoneNumber: '+13125550199', friendlyName: 'Shared line' });
    const clinic = await seedCompany(world().env);
    await seedTwilioAccount(world().env, clinic.id, { accountSid: shared.accountSid, authToken: shared.authToken, shared: true });
    const response = await world().call(world().tokens.superadmin, 'POST', '/v1/phone-numbers/sync', { companyId: clinic.id });
    expect(response.statusCode).toBe(409);
    expect(await ownNumbers(clinic.id)).toEqual([]);
  });

  it('lets a superadmin sync a named company', async () => {
    const response = await world().call(world().tokens.superadmin, 'POST', '/v1/phone-numbers/sync', { companyId: world().a.id });
    expect(response.statusCode).toBe(200);
    expect((await auditTrail(world().env, world().a.id, 'phone_number.sync')).at(-1)).toMatchObject({ actor_role: 'superadmin' });
  });
});
