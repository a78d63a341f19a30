import type { PlatformTx } from '../../client';
import type { Company } from '../../schema';
import { exactTimestamp, pastPosition, type KeysetPosition } from './keyset';

export type CompanyRow = Company & { cursor_at: string };

/** Every tenant, oldest first: a platform (superadmin) read. */
export async function listCompaniesPage(tx: PlatformTx, page: { limit: number; after: KeysetPosition | null }): Promise<CompanyRow[]> {
  let query = tx.selectFrom('companies').selectAll().select(exactTimestamp('companies.created_at').as('cursor_at'));
  if (page.after) query = query.where(pastPosition('companies.created_at', 'companies.id', page.after, 'asc'));
  return query.orderBy('companies.created_at', 'asc').orderBy('companies.id', 'asc').limit(page.limit).execute();
}
