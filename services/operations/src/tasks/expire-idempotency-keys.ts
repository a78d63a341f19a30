import { deleteExpiredIdempotencyKeys, withPlatform, type Db } from '@callvault/db';

/** Deletes the gateway's Idempotency-Keys past their 24 h, in short transactions; the number deleted. */
export async function expireIdempotencyKeys(db: Db, batchSize = 1_000): Promise<number> {
  let total = 0;
  for (let deleted = batchSize; deleted === batchSize; total += deleted) {
    deleted = await withPlatform(db, (tx) => deleteExpiredIdempotencyKeys(tx, batchSize));
  }
  return total;
}
