import type { Logger } from '@callvault/logging';

export interface PeriodicTask {
  start(intervalMs: number): void;
  /**
   * A pass now, without waiting for the next tick (after one in progress, if any). Does nothing
   * before `start` or after `stop`: only a running task works in the background.
   */
  runNow(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every interval, never two at once; a failed pass is logged and retried at the next
 * tick (the work it covers stays in the database, so nothing is lost by waiting).
 */
export function periodicTask(log: Logger, what: string, pass: () => Promise<unknown>): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  const run = () => {
    running = pass()
      .catch((error: unknown) => log.warn({ err: error }, `${what} failed; will retry`))
      .finally(() => {
        running = undefined;
        if (again && timer) {
          again = false;
          run();
        }
      });
  };
  return {
    start(intervalMs) {
      timer = setInterval(() => {
        if (!running) run();
      }, intervalMs);
      timer.unref();
    },
    runNow() {
      if (!timer) return;
      if (running) again = true;
      else run();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      while (running) await running;
    },
  };
}
