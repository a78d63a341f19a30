import type { PlatformTx } from '../../client';
import type { Company } from '../../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from '../keyset-page';

const ORDER = byTimestamp('companies.created_at', 'companies.id', 'asc');

export type CompanyRow = Company & { sort_value: string | number | null };

/** Every tenant, oldest first: a platform (superadmin) read. */
export async function listCompaniesPage(tx: PlatformTx, page: { limit: number; after: SortPosition | null }): Promise<CompanyRow[]> {
  const query = tx.selectFrom('companies').selectAll().select(sortValueOf(ORDER).as('sort_value'));
  return sortedPage(query, ORDER, page.after, page.limit);
}
