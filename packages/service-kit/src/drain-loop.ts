import type { Logger } from '@callvault/logging';
import { outsideTraces } from '@callvault/tracing';

export interface DrainLoop {
  /** A pass soon (after the one running, if any): the caller just committed work for it. */
  wake(): void;
  /** Starts the idle poll, which finds work other processes committed (or that waited for a retry time). */
  start(): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
  /** Resolves once a pass that started after this call found nothing left to do. */
  settled(): Promise<void>;
  /** A pass is running (or about to: it was woken). */
  busy(): boolean;
}

/**
 * Work kept in Postgres and drained by passes: each pass takes a bounded batch and returns how
 * many items it took. A full batch is followed at once by another pass; a partial one ends the
 * run until the next wake or idle poll. Never two passes of one loop at once; a failed pass is
 * logged and retried at the next wake (its work stays in the database). Used by the effects loop
 * (stored events → their effects) and the outbox relay (committed jobs → Redis).
 */
export function createDrainLoop(options: { what: string; log: Logger; batchSize: number; idleMs: number; pass: () => Promise<number> }): DrainLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let passes = 0;
  const waiters: Array<{ after: number; resolve: () => void }> = [];

  const finishWaiters = (completedPass: number) => {
    for (let index = waiters.length - 1; index >= 0; index -= 1) {
      if (waiters[index]!.after < completedPass) waiters.splice(index, 1)[0]!.resolve();
    }
  };

  const run = async () => {
    do {
      again = false;
      passes += 1;
      const pass = passes;
      let taken: number;
      try {
        // Woken after a request's commit, a pass would otherwise run in that request's trace.
        taken = await outsideTraces(options.pass);
      } catch (error) {
        options.log.warn({ err: error }, `${options.what} failed; will retry`);
        return;
      }
      if (taken < options.batchSize) {
        finishWaiters(pass);
        if (!again) return;
      } else {
        again = true;
      }
    } while (again && !stopped);
  };

  const loop: DrainLoop = {
    wake() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => {
        running = undefined;
      });
    },
    start() {
      stopped = false;
      timer ??= setInterval(() => loop.wake(), options.idleMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      while (running) await running;
      finishWaiters(Number.POSITIVE_INFINITY);
    },
    busy: () => running !== undefined,
    settled() {
      if (stopped) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push({ after: passes, resolve });
        loop.wake();
      });
    },
  };
  return loop;
}

/**
 * Several loops over the same work, driven as one: each pass of each loop claims its own batch
 * (the work's claim must skip what another pass holds, as FOR UPDATE SKIP LOCKED does), so one
 * loop's round trips and commit overlap another's. A wake goes to the first idle loop (to the
 * first loop when none is): a second loop joins only while the first is busy, so a trickle of
 * work costs no empty claims.
 */
export function drainLoopsTogether(loops: DrainLoop[]): DrainLoop {
  return {
    wake: () => {
      (loops.find((loop) => !loop.busy()) ?? loops[0])?.wake();
    },
    start: () => {
      for (const loop of loops) loop.start();
    },
    stop: async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
    settled: async () => {
      await Promise.all(loops.map((loop) => loop.settled()));
    },
    busy: () => loops.some((loop) => loop.busy()),
  };
}
