import { sql, type Kysely, type Transaction } from 'kysely';
import { COMPANY_OWNED_TABLES, PLATFORM_OR_COMPANY_TABLES, type Database } from '@callvault/db';

/** Every table that holds rows of a company, the companies table itself included. */
export const TABLES_WITH_COMPANY_ROWS = ['companies', ...COMPANY_OWNED_TABLES, ...PLATFORM_OR_COMPANY_TABLES] as const;

const companyColumn = (table: string) => (table === 'companies' ? 'id' : 'company_id');

/** One company's rows of every table, each row as JSON text, sorted: two snapshots compare as text. */
export type CompanyRows = Map<string, string[]>;

export async function companyRows(db: Kysely<Database> | Transaction<Database>, companyId: string): Promise<CompanyRows> {
  const rows: CompanyRows = new Map();
  for (const table of TABLES_WITH_COMPANY_ROWS) {
    const result = await sql<{ row: string }>`
      SELECT to_jsonb(t)::text AS row FROM ${sql.table(table)} t WHERE ${sql.ref(`t.${companyColumn(table)}`)} = ${companyId}::uuid`.execute(db);
    rows.set(table, result.rows.map((r) => r.row).sort());
  }
  return rows;
}

/** What differs between two snapshots, one line per table: rows gone, rows new (changed rows are both). */
export function rowChanges(before: CompanyRows, after: CompanyRows): string[] {
  const changes: string[] = [];
  for (const [table, old] of before) {
    const now = after.get(table) ?? [];
    const gone = old.filter((row) => !now.includes(row));
    const added = now.filter((row) => !old.includes(row));
    if (gone.length > 0 || added.length > 0)
      changes.push(`${table}: ${gone.length} row(s) changed or removed, ${added.length} changed or added, e.g. ${added[0] ?? gone[0]}`);
  }
  return changes;
}

/** Every id of every row of the company, and the company's own id: none may reach another company. */
export function idsIn(rows: CompanyRows): Set<string> {
  const ids = new Set<string>();
  for (const table of rows.values())
    for (const text of table) {
      const row = JSON.parse(text) as Record<string, unknown>;
      if (typeof row.id === 'string') ids.add(row.id);
      if (typeof row.company_id === 'string') ids.add(row.company_id);
    }
  return ids;
}

/** The paths inside a returned value (objects, arrays, Maps, Sets, Dates skipped) whose value is one of `ids`. */
export function pathsTo(ids: ReadonlySet<string>, value: unknown, path = 'result'): string[] {
  if (typeof value === 'string') return ids.has(value) ? [`${path} = ${value}`] : [];
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  if (value instanceof Map)
    return [...value].flatMap(([key, item], i) => [...pathsTo(ids, key, `${path}.key[${i}]`), ...pathsTo(ids, item, `${path}.get(${String(key)})`)]);
  if (value instanceof Set) return [...value].flatMap((item, i) => pathsTo(ids, item, `${path}.set[${i}]`));
  return Object.entries(value).flatMap(([key, item]) => pathsTo(ids, item, `${path}.${key}`));
}
