import { maintainMonthlyPartitions, withPlatform, type Db, type PartitionChange } from '@callvault/db';

/** Months ahead for webhook and audit events, expired months dropped (see migration 0024). */
export async function maintainPartitions(db: Db, webhookEventRetentionDays: number, now: Date): Promise<PartitionChange[]> {
  return withPlatform(db, (tx) => maintainMonthlyPartitions(tx, now, webhookEventRetentionDays));
}
