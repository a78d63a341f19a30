import type { Logger } from '@callvault/logging';

export interface PeriodicTask {
  start(intervalMs: number): void;
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
  return {
    start(intervalMs) {
      timer = setInterval(() => {
        if (running) return;
        running = pass()
          .catch((error: unknown) => log.warn({ err: error }, `${what} failed; will retry`))
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
