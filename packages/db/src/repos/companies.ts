import type { CompanyTx, PlatformTx } from '../client';
import type { Company } from '../schema';

export async function createCompany(tx: PlatformTx, input: { name: string; retentionDays?: number | null; recordingFormat?: 'mp3' | 'wav' }): Promise<Company> {
  return tx
    .insertInto('companies')
    .values({ name: input.name, retention_days: input.retentionDays ?? null, recording_format: input.recordingFormat ?? 'mp3' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getCompany(tx: CompanyTx): Promise<Company | undefined> {
  return tx.selectFrom('companies').selectAll().where('id', '=', tx.scope.companyId).executeTakeFirst();
}

export async function listCompanies(tx: PlatformTx): Promise<Company[]> {
  return tx.selectFrom('companies').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Changes the company's own row (RLS shows a company transaction only its own); undefined when absent. */
export async function updateCompany(tx: CompanyTx, changes: { name?: string; retentionDays?: number | null }): Promise<Company | undefined> {
  return tx
    .updateTable('companies')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.retentionDays !== undefined ? { retention_days: changes.retentionDays } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', tx.scope.companyId)
    .returningAll()
    .executeTakeFirst();
}
