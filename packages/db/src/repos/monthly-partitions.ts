import { sql } from 'kysely';
import type { PlatformTx } from '../client';

export interface PartitionChange {
  /** A month partition (`webhook_events_2026_01`), or the table a month was created ahead for. */
  partition: string;
  outcome: 'dropped' | 'created ahead' | `dropped; ${string}` | `deferred: ${string}`;
}

/**
 * Months ahead for webhook and audit events, and expired months dropped: what may go is decided
 * by the database function (migration 0024), which never trusts `asOf` beyond its own clock.
 */
export async function maintainMonthlyPartitions(tx: PlatformTx, asOf: Date, webhookEventRetentionDays: number): Promise<PartitionChange[]> {
  const result = await sql<{ partition_name: string; outcome: PartitionChange['outcome'] }>`
    SELECT partition_name, outcome FROM maintain_monthly_partitions(${asOf}, ${webhookEventRetentionDays})`.execute(tx);
  return result.rows.map((row) => ({ partition: row.partition_name, outcome: row.outcome }));
}
