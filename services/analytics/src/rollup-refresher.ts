import { refreshDirtyRollups, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';

/**
 * Keeps daily rollups equal to the underlying rows: triggers mark changed company-days dirty,
 * this loop recomputes them in small batches. Several analytics replicas share the work safely.
 */
export function startRollupRefresher(deps: { db: Db; log: Logger; intervalMs?: number; batchSize?: number }): { stop(): Promise<void>; runUntilClean(): Promise<number> } {
  let running: Promise<unknown> | undefined;
  const batch = () => withPlatform(deps.db, (tx) => refreshDirtyRollups(tx, deps.batchSize ?? 200));
  const runUntilClean = async () => {
    let total = 0;
    for (let refreshed = await batch(); refreshed > 0; refreshed = await batch()) total += refreshed;
    return total;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = runUntilClean()
      .catch((error: unknown) => deps.log.warn({ err: error }, 'rollup refresh failed; retrying next interval'))
      .finally(() => {
        running = undefined;
      });
  }, deps.intervalMs ?? 5_000);
  timer.unref();
  return {
    runUntilClean,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
