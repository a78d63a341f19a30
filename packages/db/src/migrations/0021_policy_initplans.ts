import { sql, type Kysely } from 'kysely';

/**
 * Every `company_isolation` policy reads the two scope settings in scalar sub-SELECTs, so Postgres
 * evaluates each once per statement (an InitPlan) instead of calling current_setting() for every
 * row it checks: `callvault_visible(company_id)` is inlined, but its current_setting() calls are
 * then run per row. Same meaning as `callvault_visible(<column>)`: platform mode sees every row, a
 * company transaction the rows whose column equals its company; a NULL company_id (platform rows
 * of job_outbox, webhook_events, idempotency_keys) compares as NULL, so it stays visible in
 * platform mode only. `callvault_visible` itself is kept.
 *
 * The policies are found in the catalog, not listed here, and each must still read exactly
 * `callvault_visible(<column>)` in both clauses: a policy changed by hand fails the migration
 * instead of being overwritten. The `platform_only` policies (platform_admins,
 * platform_audit_events) get the same treatment: they reference no column, but a policy is
 * checked per row all the same, so the setting is read once in a sub-SELECT there too.
 */
const POLICY = 'company_isolation';
const PLATFORM_POLICY = 'platform_only';
const PLATFORM_TABLES = ['platform_admins', 'platform_audit_events'];
const PLATFORM_EXPRESSION = "(COALESCE(current_setting('callvault.platform'::text, true), ''::text) = 'on'::text)";

interface PolicyRow {
  table: string;
  qual: string | null;
  with_check: string | null;
}

async function isolationPolicies(db: Kysely<unknown>): Promise<PolicyRow[]> {
  const result = await sql<PolicyRow>`
    SELECT tablename AS table, qual, with_check FROM pg_policies
    WHERE schemaname = current_schema() AND policyname = ${POLICY}
    ORDER BY tablename
  `.execute(db);
  return result.rows;
}

/** The tenant column of a table's policy: `id` for companies, `company_id` everywhere else. */
function column(table: string): string {
  return table === 'companies' ? 'id' : 'company_id';
}

/** Also the policy of tables recreated later (0024): the same expression, written once. */
export function initPlanVisible(name: string) {
  return sql`(SELECT coalesce(current_setting('callvault.platform', true), '') = 'on') OR ${sql.ref(name)} = (SELECT nullif(current_setting('callvault.company_id', true), '')::uuid)`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const policies = await isolationPolicies(db);
  if (policies.length === 0) throw new Error(`0021: no ${POLICY} policy found`);
  for (const policy of policies) {
    const expected = `callvault_visible(${column(policy.table)})`;
    if (policy.qual !== expected || policy.with_check !== expected) {
      throw new Error(`0021: ${POLICY} on ${policy.table} is not ${expected} (USING ${policy.qual}, WITH CHECK ${policy.with_check})`);
    }
    const visible = initPlanVisible(column(policy.table));
    await sql`ALTER POLICY ${sql.id(POLICY)} ON ${sql.table(policy.table)} USING (${visible}) WITH CHECK (${visible})`.execute(db);
  }
  for (const table of PLATFORM_TABLES) {
    const found = await sql<{ qual: string | null; with_check: string | null }>`
      SELECT qual, with_check FROM pg_policies WHERE schemaname = current_schema() AND tablename = ${table} AND policyname = ${PLATFORM_POLICY}
    `.execute(db);
    const policy = found.rows[0];
    if (!policy || policy.qual !== PLATFORM_EXPRESSION || policy.with_check !== PLATFORM_EXPRESSION) {
      throw new Error(`0021: ${PLATFORM_POLICY} on ${table} is not ${PLATFORM_EXPRESSION} (${JSON.stringify(policy)})`);
    }
    const platform = sql`(SELECT coalesce(current_setting('callvault.platform', true), '') = 'on')`;
    await sql`ALTER POLICY ${sql.id(PLATFORM_POLICY)} ON ${sql.table(table)} USING (${platform}) WITH CHECK (${platform})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const policy of await isolationPolicies(db)) {
    const visible = sql`callvault_visible(${sql.ref(column(policy.table))})`;
    await sql`ALTER POLICY ${sql.id(POLICY)} ON ${sql.table(policy.table)} USING (${visible}) WITH CHECK (${visible})`.execute(db);
  }
  const platform = sql`coalesce(current_setting('callvault.platform', true), '') = 'on'`;
  for (const table of PLATFORM_TABLES) {
    await sql`ALTER POLICY ${sql.id(PLATFORM_POLICY)} ON ${sql.table(table)} USING (${platform}) WITH CHECK (${platform})`.execute(db);
  }
}
