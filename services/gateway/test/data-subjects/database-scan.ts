import { sql, type Kysely } from 'kysely';
import type { Database } from '@callvault/db';

export interface ScanHit {
  table: string;
  column: string;
  /** The column's value as stored (text, or the parsed jsonb). */
  value: unknown;
  /** The row's company, when the table has one. */
  companyId: string | null;
}

/**
 * Every text, varchar, text[] and jsonb column of every table in the public schema searched for
 * `needle`, as the schema owner (RLS does not hide anything from it). Slow by design: a test's
 * forensic look, not a query for the product. (h15-erasure's scanDatabaseFor replaces it on merge.)
 */
export async function scanDatabase(ownerDb: Kysely<Database>, needle: string): Promise<ScanHit[]> {
  const columns = await sql<{ table_name: string; column_name: string; has_company: boolean }>`
    SELECT c.table_name, c.column_name,
           EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = 'public' AND k.table_name = c.table_name AND k.column_name = 'company_id') AS has_company
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public' AND (c.data_type IN ('text', 'character varying', 'jsonb', 'json') OR c.udt_name IN ('_text', '_varchar'))
    ORDER BY c.table_name, c.column_name
  `.execute(ownerDb);
  const hits: ScanHit[] = [];
  for (const { table_name: table, column_name: column, has_company: hasCompany } of columns.rows) {
    const company = hasCompany ? sql`company_id::text` : sql`NULL::text`;
    const found = await sql<{ value: unknown; company_id: string | null }>`
      SELECT ${sql.ref(column)} AS value, ${company} AS company_id FROM ${sql.table(table)} WHERE strpos(${sql.ref(column)}::text, ${needle}) > 0
    `.execute(ownerDb);
    for (const row of found.rows) hits.push({ table, column, value: row.value, companyId: row.company_id });
  }
  return hits;
}

/** Whether `value` (a string, or a JSON value compared deeply) occurs anywhere in `document`. */
export function documentContains(document: unknown, value: unknown): boolean {
  if (JSON.stringify(document) === JSON.stringify(value)) return true;
  if (Array.isArray(document)) return document.some((entry) => documentContains(entry, value));
  if (document !== null && typeof document === 'object') return Object.values(document).some((entry) => documentContains(entry, value));
  return false;
}
