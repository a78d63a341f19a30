import type { Logger } from 'pino';

export type Closer = [name: string, close: () => Promise<unknown>];

/**
 * Runs closers in order (stop intake → workers → queues → Redis → Postgres) within a deadline,
 * then exits. A second signal, or the deadline, exits at once.
 */
export function onShutdownSignal(log: Logger, graceSeconds: number, closers: Closer[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceSeconds }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed: exiting');
      process.exit(1);
    }, graceSeconds * 1000);
    deadline.unref();
    let failed = false;
    for (const [name, close] of closers) {
      try {
        await close();
      } catch (error) {
        failed = true;
        log.error({ err: error, closer: name }, 'closer failed');
      }
    }
    log.info('stopped');
    process.exit(failed ? 1 : 0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
