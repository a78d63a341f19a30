import { sql, type Kysely } from 'kysely';
import type { Database } from '@callvault/db';
import { scanDatabaseFor } from '@callvault/testing';

export interface CompanyHit {
  table: string;
  column: string;
  /** The column's value as stored (text, or the parsed jsonb). */
  value: unknown;
}

/**
 * The forensic scan's hits that belong to one company, with the values found: a data subject's
 * request is answered per company, so another company's rows are not part of it.
 */
export async function scanCompanyFor(ownerDb: Kysely<Database>, companyId: string, values: readonly string[]): Promise<CompanyHit[]> {
  const hits: CompanyHit[] = [];
  for (const hit of await scanDatabaseFor(ownerDb, values)) {
    const rowRef = /^[0-9a-f-]{36}$/.test(hit.row) ? sql`id::text` : sql`ctid::text`;
    const owner = hit.table === 'companies' ? sql`id` : sql`company_id`;
    const found = await sql<{ value: unknown; company_id: string | null }>`
      SELECT ${sql.ref(hit.column)} AS value, ${owner}::text AS company_id FROM ${sql.table(hit.table)} WHERE ${rowRef} = ${hit.row}
    `.execute(ownerDb);
    for (const row of found.rows) if (row.company_id === companyId) hits.push({ table: hit.table, column: hit.column, value: row.value });
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
