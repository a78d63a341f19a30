/**
 * Group commit: requests that arrive while earlier batches are committing wait, then commit
 * together in one transaction, so a commit's fixed cost (round trips, the WAL flush) is shared.
 * Under light load a request starts its own batch at once: no timer, no added latency; under
 * heavy load batches grow by themselves. (DataLoader batches per event-loop tick and has no
 * in-flight limit, which is what makes batches grow here, so this small scheduler is our own.)
 */
export interface GroupCommitOptions<I, R> {
  /** Most items in one batch. */
  maxBatch: number;
  /** Batches committing at once (each holds one database connection). */
  maxInFlight: number;
  /** Commits a batch; one settled result per item, in order. Holds a slot while it runs. */
  commit: (items: I[]) => Promise<Array<PromiseSettledResult<R>>>;
  /** Work after the commit that callers wait for but that must not hold a slot (enqueueing). */
  afterCommit?: (items: I[], results: Array<PromiseSettledResult<R>>) => Promise<void>;
}

export interface GroupCommit<I, R> {
  submit(item: I): Promise<R>;
}

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<I, R>(options: GroupCommitOptions<I, R>): GroupCommit<I, R> {
  const waiting: Array<Waiting<I, R>> = [];
  let inFlight = 0;

  const settle = (batch: Array<Waiting<I, R>>, results: Array<PromiseSettledResult<R>>) => {
    batch.forEach((entry, index) => {
      const result = results[index];
      if (result?.status === 'fulfilled') entry.resolve(result.value);
      else entry.reject(result ? result.reason : new Error('group commit returned no result for an item'));
    });
  };

  const runBatch = async (batch: Array<Waiting<I, R>>) => {
    const items = batch.map((entry) => entry.item);
    let results: Array<PromiseSettledResult<R>>;
    try {
      results = await options.commit(items);
    } catch (error) {
      results = items.map(() => ({ status: 'rejected', reason: error }));
    } finally {
      inFlight -= 1;
      pump();
    }
    // afterCommit reports its own failures; the commit's outcome stands either way.
    await options.afterCommit?.(items, results).catch(() => undefined);
    settle(batch, results);
  };

  const pump = () => {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      inFlight += 1;
      void runBatch(waiting.splice(0, options.maxBatch));
    }
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        pump();
      });
    },
  };
}

/**
 * A batch commit whose failure (one bad item, a deadlock, an outage) falls back to committing
 * each item alone, so one bad item fails only itself. `onFallback` reports the fallback.
 */
export function batchOrOneByOne<I, R>(
  commitAll: (items: I[]) => Promise<R[]>,
  onFallback: (error: unknown, items: I[]) => void,
): (items: I[]) => Promise<Array<PromiseSettledResult<R>>> {
  return async (items) => {
    try {
      return (await commitAll(items)).map((value) => ({ status: 'fulfilled', value }));
    } catch (error) {
      if (items.length === 1) return [{ status: 'rejected', reason: error }];
      onFallback(error, items);
      return Promise.allSettled(items.map(async (item) => (await commitAll([item]))[0]!));
    }
  };
}
