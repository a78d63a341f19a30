import { listCompaniesWithProviderAccounts, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { describeJob, type Producer } from '@callvault/queue';

/**
 * Every interval, one reconciliation job per company with a provider account. The window start
 * is the job's `requestedAt`, so every ingest replica schedules the same job ids: one runs.
 */
export function startSyncScheduler(deps: { db: Db; producer: Producer; log: Logger; intervalMinutes: number }): { stop(): void; runOnce(now?: Date): Promise<number> } {
  const intervalMs = deps.intervalMinutes * 60_000;
  const runOnce = async (now = new Date()) => {
    const windowStart = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs).toISOString();
    const companies = await withPlatform(deps.db, (tx) => listCompaniesWithProviderAccounts(tx));
    await deps.producer.enqueueMany(companies.map((companyId) => describeJob('provider-sync', { companyId, requestedAt: windowStart })));
    return companies.length;
  };
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          runOnce().catch((error: unknown) => deps.log.warn({ err: error }, 'sync scheduling failed; next interval retries'));
        }, intervalMs)
      : undefined;
  timer?.unref();
  return { runOnce, stop: () => timer && clearInterval(timer) };
}
