import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit';

/** A commit the test finishes by hand, recording the batches it was given. */
function manualCommits() {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  return {
    batches,
    finishNext: () => pending.shift()!(),
    commit: (items: number[]) =>
      new Promise<Array<PromiseSettledResult<number>>>((resolve) => {
        batches.push(items);
        pending.push(() =>
          resolve(items.map((item) => (item < 0 ? { status: 'rejected', reason: new Error(`bad ${item}`) } : { status: 'fulfilled', value: item * 10 }))),
        );
      }),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('commits the first item at once and everything that arrived meanwhile as the next batch', async () => {
    const commits = manualCommits();
    const group = createGroupCommit({ maxBatch: 100, maxInFlight: 1, commit: commits.commit });
    const results = [1, 2, 3, 4].map((item) => group.submit(item));
    await tick();
    expect(commits.batches).toEqual([[1]]);
    commits.finishNext();
    await tick();
    expect(commits.batches).toEqual([[1], [2, 3, 4]]);
    commits.finishNext();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
  });

  it('keeps to maxInFlight and maxBatch', async () => {
    const commits = manualCommits();
    const group = createGroupCommit({ maxBatch: 2, maxInFlight: 2, commit: commits.commit });
    const results = [1, 2, 3, 4, 5, 6].map((item) => group.submit(item));
    await tick();
    expect(commits.batches).toEqual([[1], [2]]);
    commits.finishNext();
    await tick();
    expect(commits.batches).toEqual([[1], [2], [3, 4]]);
    commits.finishNext();
    commits.finishNext();
    await tick();
    commits.finishNext();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('fails only the items whose result failed, and a thrown commit fails its own batch only', async () => {
    let calls = 0;
    const group = createGroupCommit<number, number>({
      maxBatch: 100,
      maxInFlight: 1,
      commit: async (items) => {
        calls += 1;
        if (calls === 1) throw new Error('connection lost');
        return items.map((item) => (item < 0 ? { status: 'rejected', reason: new Error(`bad ${item}`) } : { status: 'fulfilled', value: item }));
      },
    });
    const settled = await Promise.allSettled([group.submit(1), group.submit(2), group.submit(-3), group.submit(4)]);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      'connection lost',
      2,
      'bad -3',
      4,
    ]);
  });

  it('makes callers wait for afterCommit, which does not hold the slot', async () => {
    const order: string[] = [];
    let releaseAfter: () => void = () => undefined;
    const group = createGroupCommit<number, number>({
      maxBatch: 100,
      maxInFlight: 1,
      commit: async (items) => {
        order.push(`commit ${items.join(',')}`);
        return items.map((item) => ({ status: 'fulfilled', value: item }));
      },
      afterCommit: (items) => {
        order.push(`after ${items.join(',')}`);
        return items[0] === 1 ? new Promise<void>((resolve) => (releaseAfter = resolve)) : Promise.resolve();
      },
    });
    let firstDone = false;
    const first = group.submit(1).then(() => (firstDone = true));
    await tick();
    await group.submit(2);
    expect(firstDone).toBe(false);
    expect(order).toEqual(['commit 1', 'after 1', 'commit 2', 'after 2']);
    releaseAfter();
    await first;
  });
});
