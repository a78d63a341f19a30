import { refreshDirtyRollups, withPlatform, type Db } from '@callvault/db';

/**
 * Keeps daily rollups equal to the underlying rows: triggers mark changed company-days dirty,
 * this recomputes them in small batches until none is left.
 */
export async function refreshRollups(db: Db, batchSize = 200): Promise<number> {
  let total = 0;
  for (
    let refreshed = await withPlatform(db, (tx) => refreshDirtyRollups(tx, batchSize));
    refreshed > 0;
    refreshed = await withPlatform(db, (tx) => refreshDirtyRollups(tx, batchSize))
  ) {
    total += refreshed;
  }
  return total;
}
