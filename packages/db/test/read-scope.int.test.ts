import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyWideRead, withCompany, withReadScope, type CompanyTx } from '@callvault/db';
import { createTestEnvironment, seedCompany, seedUser, type TestEnvironment } from '@callvault/testing';

/** A read transaction carries one scope for good: nothing handed the transaction can widen it. */
let env: TestEnvironment;
let companyId: string;
let agentId: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  companyId = (await seedCompany(env, 'Scope Co')).id;
  agentId = (await seedUser(env, companyId, 'agent')).id;
});

afterAll(async () => env?.close());

describe('the read scope a transaction carries', () => {
  it("cannot be widened: an agent's transaction refuses the whole-company scope, and its scope cannot be reassigned", async () => {
    await withReadScope(env.db, { kind: 'company', companyId, ownerUserIds: [agentId] }, async (tx) => {
      expect(() => companyWideRead(tx as CompanyTx)).toThrow('already carries a read scope');
      expect(() => {
        (tx as { readScope: unknown }).readScope = { kind: 'company', companyId, ownerUserIds: null };
      }).toThrow(TypeError);
      expect(tx.readScope).toEqual({ kind: 'company', companyId, ownerUserIds: [agentId] });
      expect(Object.isFrozen(tx.readScope.kind === 'company' ? tx.readScope.ownerUserIds : null)).toBe(true);
    });
  });

  it('is the whole company for a plain company transaction read whole', async () => {
    await withCompany(env.db, companyId, async (tx) => {
      expect(companyWideRead(tx).readScope).toEqual({ kind: 'company', companyId, ownerUserIds: null });
    });
  });
});
