import { sql } from 'kysely';
import type { CompanyTx, PlatformTx } from '../client';
import { COMPANY_OWNED_TABLES, PLATFORM_OR_COMPANY_TABLES } from '../schema';

/**
 * Cuts a company off from its providers: its registrations and numbers go, so ingest can no
 * longer attribute an event to it (an event arriving later finds no tenant and is quarantined).
 */
export async function detachCompanyProviders(tx: PlatformTx, companyId: string): Promise<{ providerAccounts: number; phoneNumbers: number }> {
  const numbers = await tx.deleteFrom('phone_numbers').where('company_id', '=', companyId).executeTakeFirst();
  const accounts = await tx.deleteFrom('provider_accounts').where('company_id', '=', companyId).executeTakeFirst();
  return { providerAccounts: Number(accounts.numDeletedRows), phoneNumbers: Number(numbers.numDeletedRows) };
}

/** How many rows of each table the company has: what its offboarding record says was removed. */
export async function countCompanyRows(tx: PlatformTx, companyId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...COMPANY_OWNED_TABLES, ...PLATFORM_OR_COMPANY_TABLES]) {
    const row = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE company_id = ${companyId}`.execute(tx);
    counts[table] = Number(row.rows[0]?.n ?? 0);
  }
  return counts;
}

/**
 * Removes every row of the company. Its stored provider payloads go first, since their foreign
 * key would only forget the company (SET NULL) and keep the content. Recordings and calls go
 * next, while the company row still exists: their rollup triggers mark days dirty, and those
 * marks (and the rollups) go right after. The company row then takes every other table with it
 * by ON DELETE CASCADE (referential actions run as the tables' owner, so the audit trail,
 * append-only for the application role, goes with the company it belongs to), and the change
 * feed's tombstones go last.
 */
export async function deleteCompanyRows(tx: PlatformTx, companyId: string): Promise<boolean> {
  await tx.deleteFrom('webhook_events').where('company_id', '=', companyId).execute();
  await tx.deleteFrom('recordings').where('company_id', '=', companyId).execute();
  await tx.deleteFrom('calls').where('company_id', '=', companyId).execute();
  await tx.deleteFrom('rollup_dirty_days').where('company_id', '=', companyId).execute();
  await tx.deleteFrom('daily_rollups').where('company_id', '=', companyId).execute();
  const deleted = await tx.deleteFrom('companies').where('id', '=', companyId).executeTakeFirst();
  // The deletions above left change-feed tombstones (the company still existed); they have no
  // foreign key to cascade from, and a company that is gone has no feed to read.
  await tx.deleteFrom('feed_tombstones').where('company_id', '=', companyId).execute();
  return Number(deleted.numDeletedRows) > 0;
}

/** The platform's record of an offboarding, if one finished: kept outside the company, which no longer exists. */
export async function findOffboardingRecord(tx: PlatformTx, companyId: string) {
  return tx
    .selectFrom('platform_audit_events')
    .selectAll()
    .where('target_type', '=', 'company')
    .where('target_id', '=', companyId)
    .where('action', 'in', ['company.offboard.requested', 'company.offboard.completed'])
    .orderBy('created_at', 'desc')
    .execute();
}

/** The company's recordings under legal hold: an offboarding must not destroy them. */
export async function listHeldRecordingIds(tx: PlatformTx, companyId: string): Promise<string[]> {
  const rows = await tx.selectFrom('recordings').select('id').where('company_id', '=', companyId).where('legal_hold', '=', true).orderBy('id').execute();
  return rows.map((row) => row.id);
}

/**
 * What a company export contains, table by table (rollups, model usage counts and change-feed
 * tombstones are left out: they are derived or bookkeeping; the intelligence settings' one row
 * holds a sealed key). Secret columns never leave: sealed provider secrets, API
 * key hashes, endpoint signing secrets.
 */
export const EXPORTED_TABLES = [
  'users',
  'provider_accounts',
  'phone_numbers',
  'calls',
  'recordings',
  'transcripts',
  'call_metrics',
  'provider_transcripts',
  'webhook_events',
  'audit_events',
  'api_keys',
  'webhook_endpoints',
  'webhook_deliveries',
  'webhook_delivery_attempts',
  'call_analyses',
  'redaction_patterns',
] as const;
export type ExportedTable = (typeof EXPORTED_TABLES)[number];

const SECRET_COLUMNS = ['secrets_sealed', 'token_hash', 'secret_sealed'];

/** One page of a table's rows of the company, in id order after `afterId`, each as JSON without its secret columns. */
export async function listCompanyRowsPage(
  tx: CompanyTx,
  table: ExportedTable,
  page: { afterId: string | null; limit: number },
): Promise<Array<{ id: string; row: Record<string, unknown> }>> {
  const after = page.afterId ? sql`AND t.id > ${page.afterId}` : sql``;
  const result = await sql<{ id: string; row: Record<string, unknown> }>`
    SELECT t.id::text AS id, to_jsonb(t) - ${SECRET_COLUMNS}::text[] AS row
    FROM ${sql.table(table)} t
    WHERE t.company_id = ${tx.scope.companyId} ${after}
    ORDER BY t.id
    LIMIT ${page.limit}
  `.execute(tx);
  return result.rows;
}
