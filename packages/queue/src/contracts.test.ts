import { Backoffs, type MinimalJob } from 'bullmq';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queues } from './contracts';

/** The time from the first attempt to the last, as BullMQ's own backoff computes each wait. */
function retryWindowMs(random: number): number {
  vi.spyOn(Math, 'random').mockReturnValue(random);
  const { attempts, backoff } = queues['webhook-delivery'].options;
  let total = 0;
  for (let attemptsMade = 1; attemptsMade < attempts; attemptsMade++)
    total += Backoffs.calculate(backoff, attemptsMade, new Error('endpoint down'), {} as MinimalJob) as number;
  return total;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhook-delivery retry schedule', () => {
  it('keeps trying for more than a day however the jitter falls, and gives up within two', () => {
    const day = 24 * 3600 * 1000;
    expect(retryWindowMs(0)).toBeGreaterThan(day);
    expect(retryWindowMs(0.999999)).toBeLessThan(2 * day);
  });
});
