import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimAccount, type Simulator } from '@callvault/simulator';
import { seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, tokenFor } from '@callvault/testing';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let sim: Simulator;
let world: AdminWorld;
/** Company A's Twilio account at the simulated Twilio: its incoming numbers are A's to register with matchOn "to". */
let accountA: SimAccount;
let counter = 0;

beforeAll(async () => {
  sim = await startSimulator();
  world = await createAdminWorld({ TWILIO_API_BASE_URL: sim.baseUrl, VAPI_API_BASE_URL: sim.baseUrl });
  accountA = sim.state.addAccount();
  await seedTwilioAccount(world.env, world.a.id, { accountSid: accountA.accountSid, authToken: accountA.authToken });
});

afterAll(async () => {
  await world?.close();
  await sim?.close();
});

const nextNumber = () => {
  counter += 1;
  return `+1312555${String(1000 + counter).slice(-4)}`;
};
/** A number company A's Twilio account owns. */
function ownedByA(): string {
  const e164 = nextNumber();
  accountA.incomingNumbers.push({ sid: `PN${counter}`, phoneNumber: e164, friendlyName: e164 });
  return e164;
}

describe('POST /v1/phone-numbers', () => {
  it('registers a number for the company (201) and audits it', async () => {
    const body = { e164: ownedByA(), matchOn: 'to', ownerUserId: world.users.agentA.id, vapiAssistantId: 'asst_1', label: 'Front desk' };
    const response = await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', body);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: expect.any(String), companyId: world.a.id, ...body, createdAt: expect.any(String), updatedAt: expect.any(String) });
    const [event] = await auditTrail(world.env, world.a.id, 'phone_number.create');
    expect(event).toMatchObject({ target_id: response.json().id, details: { e164: body.e164, matchOn: 'to' } });
  });

  it('answers 409 when another company has the number for the same match, without naming it', async () => {
    const e164 = ownedByA();
    await seedPhoneNumber(world.env, world.b.id, { e164, matchOn: 'to' });
    const taken = await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164, matchOn: 'to' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ status: 409, code: 'conflict', detail: 'this number is already registered for this matchOn' });
    // The other match is free.
    expect((await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164, matchOn: 'from' })).statusCode).toBe(201);
  });

  it('answers 400 to an owner from another company, a malformed number and unknown fields', async () => {
    const foreign = await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164: ownedByA(), matchOn: 'to', ownerUserId: world.users.agentB.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().detail).toBe('ownerUserId must be a user of the same company');
    for (const body of [
      { e164: '3125550100', matchOn: 'to' },
      { e164: '+0123456789', matchOn: 'to' },
      { e164: nextNumber(), matchOn: 'both' },
      { e164: nextNumber(), matchOn: 'to', owner: 'x' },
    ]) {
      expect((await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', body)).statusCode).toBe(400);
    }
  });

  it('answers 403 to agents and managers, 404 to another company', async () => {
    for (const token of [world.tokens.agentA, world.tokens.managerA]) {
      expect((await world.call(token, 'POST', '/v1/phone-numbers', { e164: nextNumber(), matchOn: 'to' })).statusCode).toBe(403);
      expect((await world.call(token, 'GET', '/v1/phone-numbers')).statusCode).toBe(403);
    }
    expect((await world.call(world.tokens.adminB, 'POST', '/v1/phone-numbers', { companyId: world.a.id, e164: nextNumber(), matchOn: 'to' })).statusCode).toBe(
      404,
    );
  });
});

describe('GET, PATCH, DELETE /v1/phone-numbers/{id}', () => {
  it('lists and reads only the own company numbers', async () => {
    const list = await world.call(world.tokens.adminB, 'GET', '/v1/phone-numbers');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.every((number: { companyId: string }) => number.companyId === world.b.id)).toBe(true);
    const [bNumber] = list.json().items;
    expect((await world.call(world.tokens.adminB, 'GET', `/v1/phone-numbers/${bNumber.id}`)).json()).toEqual(bNumber);
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/phone-numbers/${bNumber.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/phone-numbers?matchOn=to&limit=1')).json().items).toHaveLength(1);
  });

  it('updates a number, and refuses a conflict (409), a foreign owner (400) and a foreign number (404)', async () => {
    const created = (await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164: ownedByA(), matchOn: 'to' })).json();
    const patched = await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${created.id}`, { label: 'Sales', ownerUserId: world.users.managerA.id });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ label: 'Sales', ownerUserId: world.users.managerA.id, e164: created.e164 });
    expect((await auditTrail(world.env, world.a.id, 'phone_number.update')).at(-1)).toMatchObject({ target_id: created.id });

    const bNumber = await seedPhoneNumber(world.env, world.b.id, { e164: ownedByA(), matchOn: 'to' });
    const conflict = await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${created.id}`, { e164: bNumber.e164 });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).not.toContain(world.b.id);
    expect((await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${created.id}`, { ownerUserId: world.users.agentB.id })).statusCode).toBe(400);
    expect((await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${bNumber.id}`, { label: 'mine now' })).statusCode).toBe(404);
    expect((await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${created.id}`, { companyId: world.b.id })).statusCode).toBe(400);
    expect((await world.call(world.tokens.agentA, 'PATCH', `/v1/phone-numbers/${created.id}`, { label: 'x' })).statusCode).toBe(403);
  });

  it('deletes a number (204), audited; another company cannot (404)', async () => {
    const created = (await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164: nextNumber(), matchOn: 'from' })).json();
    expect((await world.call(world.tokens.adminB, 'DELETE', `/v1/phone-numbers/${created.id}`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.managerA, 'DELETE', `/v1/phone-numbers/${created.id}`)).statusCode).toBe(403);
    const deleted = await world.call(world.tokens.adminA, 'DELETE', `/v1/phone-numbers/${created.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/phone-numbers/${created.id}`)).statusCode).toBe(404);
    expect((await auditTrail(world.env, world.a.id, 'phone_number.delete')).at(-1)).toMatchObject({ target_id: created.id, details: { e164: created.e164 } });
  });

  it('lets a superadmin manage a named company, its reads audited there', async () => {
    const list = await world.call(world.tokens.superadmin, 'GET', `/v1/phone-numbers?companyId=${world.b.id}`);
    expect(list.statusCode).toBe(200);
    const created = await world.call(world.tokens.superadmin, 'POST', '/v1/phone-numbers', { companyId: world.b.id, e164: nextNumber(), matchOn: 'to' });
    expect(created.json().companyId).toBe(world.b.id);
    expect(await auditTrail(world.env, world.b.id, 'phone_number.list')).toHaveLength(1);
    expect((await world.call(world.tokens.superadmin, 'GET', `/v1/phone-numbers/${created.json().id}?companyId=${world.a.id}`)).statusCode).toBe(404);
  });
});

describe('numbers a company must own', () => {
  it("refuses a 'to' number the company's account does not own, or any 'to' number before an account is registered (422)", async () => {
    const notOwned = await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164: nextNumber(), matchOn: 'to' });
    expect(notOwned.statusCode).toBe(422);
    expect(notOwned.json().code).toBe('phone_number_not_owned');
    const noAccount = await world.call(world.tokens.adminB, 'POST', '/v1/phone-numbers', { e164: nextNumber(), matchOn: 'to' });
    expect(noAccount.statusCode).toBe(422);
    // A calling number ('from') cannot be proven at the provider; it only ever names the company among its own account's events.
    expect((await world.call(world.tokens.adminB, 'POST', '/v1/phone-numbers', { e164: nextNumber(), matchOn: 'from' })).statusCode).toBe(201);
  });

  it("proves a number again when a PATCH makes it a 'to' number or changes it", async () => {
    const created = (await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164: nextNumber(), matchOn: 'from' })).json();
    expect((await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${created.id}`, { matchOn: 'to' })).statusCode).toBe(422);
    const owned = (await world.call(world.tokens.adminA, 'POST', '/v1/phone-numbers', { e164: ownedByA(), matchOn: 'to' })).json();
    expect((await world.call(world.tokens.adminA, 'PATCH', `/v1/phone-numbers/${owned.id}`, { e164: nextNumber() })).statusCode).toBe(422);
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/phone-numbers/${owned.id}`)).json().e164).toBe(owned.e164);
  });

  it('leaves the numbers of a company on a shared account to the platform operator', async () => {
    const shared = sim.state.addAccount();
    const clinic = await seedCompany(world.env);
    await seedTwilioAccount(world.env, clinic.id, { accountSid: shared.accountSid, authToken: shared.authToken, shared: true });
    const clinicAdmin = await tokenFor(world.env, (await seedUser(world.env, clinic.id, 'company_admin')).subject);
    const line = nextNumber();
    expect((await world.call(clinicAdmin, 'POST', '/v1/phone-numbers', { e164: line, matchOn: 'from' })).statusCode).toBe(403);
    const assigned = await world.call(world.tokens.superadmin, 'POST', '/v1/phone-numbers', { companyId: clinic.id, e164: line, matchOn: 'from' });
    expect(assigned.statusCode).toBe(201);
    expect((await world.call(clinicAdmin, 'PATCH', `/v1/phone-numbers/${assigned.json().id}`, { e164: nextNumber() })).statusCode).toBe(403);
    expect((await world.call(clinicAdmin, 'DELETE', `/v1/phone-numbers/${assigned.json().id}`)).statusCode).toBe(403);
    // Who owns a call on the line is the clinic's own business.
    expect((await world.call(clinicAdmin, 'PATCH', `/v1/phone-numbers/${assigned.json().id}`, { label: 'Reception' })).statusCode).toBe(200);
  });
});
