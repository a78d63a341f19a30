import { lockExpiredPayloads, pruneExpiredAuditEvents, storeRedactedPayload, withPlatform, type Db } from '@callvault/db';
import { redactProviderPayload } from '@callvault/events';

const BATCH = 500;
const DAY_MS = 86_400_000;

export interface PayloadLifetimeResult {
  redacted: number;
}

/**
 * Redacts the content of stored provider payloads older than `retentionDays` (counted from when
 * their effects were applied, or from arrival for events that have none), in batches of one
 * transaction each. Idempotent: a redacted payload is marked and never selected again.
 */
export async function redactExpiredPayloads(deps: { db: Db }, retentionDays: number, now: Date): Promise<PayloadLifetimeResult> {
  const before = new Date(now.getTime() - retentionDays * DAY_MS);
  let redacted = 0;
  for (;;) {
    const batch = await withPlatform(deps.db, async (tx) => {
      const expired = await lockExpiredPayloads(tx, before, BATCH);
      for (const stored of expired) await storeRedactedPayload(tx, stored.id, redactProviderPayload(stored.provider, stored.payload), now);
      return expired.length;
    });
    redacted += batch;
    if (batch < BATCH) return { redacted };
  }
}

export interface AuditLifetimeResult {
  removed: number;
}

/**
 * Removes audit events older than their company's `audit_retention_days`. The database function
 * does the choosing and never trusts `now` beyond its own clock (see migration 0013).
 */
export async function pruneAuditTrail(deps: { db: Db }, now: Date): Promise<AuditLifetimeResult> {
  let removed = 0;
  for (;;) {
    const batch = await withPlatform(deps.db, (tx) => pruneExpiredAuditEvents(tx, now, BATCH));
    removed += batch;
    if (batch < BATCH) return { removed };
  }
}
