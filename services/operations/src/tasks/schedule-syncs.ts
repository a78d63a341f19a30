import { insertOutboxJobs, listCompaniesWithProviderAccounts, withPlatform, type Db } from '@callvault/db';
import { describeJob } from '@callvault/queue';

/**
 * One reconciliation job per company with a provider account. The window start is the jobs'
 * `requestedAt`, so a task that runs twice in one period schedules the same job ids: one runs.
 */
export async function scheduleSyncs(db: Db, intervalMinutes: number, now = new Date()): Promise<number> {
  const intervalMs = intervalMinutes * 60_000;
  const windowStart = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs).toISOString();
  return withPlatform(db, async (tx) => {
    const companies = await listCompaniesWithProviderAccounts(tx);
    await insertOutboxJobs(
      tx,
      companies.map((companyId) => describeJob('provider-sync', { companyId, requestedAt: windowStart })),
    );
    return companies.length;
  });
}
