import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPANY_OWNED_TABLES, migrateDown, migrateToLatest, PLATFORM_OR_COMPANY_TABLES } from '@callvault/db';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';

let env: TestEnvironment;

const initPlanForm = (column: string) =>
  `(( SELECT (COALESCE(current_setting('callvault.platform'::text, true), ''::text) = 'on'::text)) OR (${column} = ( SELECT (NULLIF(current_setting('callvault.company_id'::text, true), ''::text))::uuid AS "nullif")))`;

const PLATFORM_INITPLAN = "( SELECT (COALESCE(current_setting('callvault.platform'::text, true), ''::text) = 'on'::text))";
const PLATFORM_INLINE = "(COALESCE(current_setting('callvault.platform'::text, true), ''::text) = 'on'::text)";

const platformPolicies = async () =>
  (
    await sql<{ table: string; qual: string; with_check: string }>`
      SELECT tablename AS table, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND policyname = 'platform_only' ORDER BY tablename`.execute(
      env.ownerDb,
    )
  ).rows;

const isolationPolicies = async () =>
  (
    await sql<{ table: string; qual: string; with_check: string }>`
      SELECT tablename AS table, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND policyname = 'company_isolation' ORDER BY tablename`.execute(
      env.ownerDb,
    )
  ).rows;

beforeAll(async () => {
  env = await createTestEnvironment();
});

afterAll(async () => {
  await env?.close();
});

describe('RLS policies read the scope settings once per statement (0021)', () => {
  it('read the scope settings in sub-SELECTs (one InitPlan per statement), on every tenant table and companies', async () => {
    const policies = await isolationPolicies();
    expect(policies.map((policy) => policy.table)).toEqual(['companies', ...COMPANY_OWNED_TABLES, ...PLATFORM_OR_COMPANY_TABLES].sort());
    for (const policy of policies) {
      const expected = initPlanForm(policy.table === 'companies' ? 'id' : 'company_id');
      expect(policy, policy.table).toEqual({ table: policy.table, qual: expected, with_check: expected });
    }
  });

  it('platform_only policies read the platform setting in a sub-SELECT too', async () => {
    expect(await platformPolicies()).toEqual(
      ['platform_admins', 'platform_audit_events'].map((table) => ({ table, qual: PLATFORM_INITPLAN, with_check: PLATFORM_INITPLAN })),
    );
  });

  it('down restores callvault_visible(...) and up applies the sub-SELECTs again', async () => {
    const owner = env.ownerDb as unknown as Kysely<unknown>;
    // Down migration by migration (later ones first) until 0021 itself is undone.
    const undone: string[] = [];
    while (!undone.includes('Down 0021_policy_initplans: Success')) {
      const step = await migrateDown(owner);
      expect(step).toHaveLength(1);
      undone.push(...step);
    }
    for (const policy of await isolationPolicies()) {
      const expected = `callvault_visible(${policy.table === 'companies' ? 'id' : 'company_id'})`;
      expect(policy, policy.table).toEqual({ table: policy.table, qual: expected, with_check: expected });
    }
    for (const policy of await platformPolicies())
      expect(policy, policy.table).toEqual({ table: policy.table, qual: PLATFORM_INLINE, with_check: PLATFORM_INLINE });
    await migrateToLatest(owner);
    for (const policy of await platformPolicies()) expect(policy.qual, policy.table).toBe(PLATFORM_INITPLAN);
    for (const policy of await isolationPolicies()) expect(policy.qual, policy.table).toBe(initPlanForm(policy.table === 'companies' ? 'id' : 'company_id'));
  });
});
