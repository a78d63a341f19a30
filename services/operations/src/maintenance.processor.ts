import type { Config } from '@callvault/config';
import type { Db } from '@callvault/db';
import { runRetentionSweep } from '@callvault/erasure';
import type { JobContext, JobPayload, MaintenanceTask } from '@callvault/queue';
import type { Gauge } from 'prom-client';
import { expireIdempotencyKeys } from './tasks/expire-idempotency-keys';
import { redriveJobs } from './tasks/redrive-jobs';
import { refreshRollups } from './tasks/refresh-rollups';
import { scheduleSyncs } from './tasks/schedule-syncs';

export interface MaintenanceDeps {
  config: Pick<Config, 'SYNC_INTERVAL_MINUTES' | 'FETCH_REDRIVE_AFTER_SECONDS'>;
  db: Db;
  /** Wakes the outbox relay: most tasks record jobs. */
  jobsCommitted: () => void;
  lastSuccess?: Gauge<'task'>;
}

const TASKS: Record<MaintenanceTask, (deps: MaintenanceDeps, context: JobContext) => Promise<unknown>> = {
  'schedule-syncs': (deps) => scheduleSyncs(deps.db, deps.config.SYNC_INTERVAL_MINUTES),
  'redrive-jobs': (deps) => redriveJobs(deps.db, deps.config.FETCH_REDRIVE_AFTER_SECONDS),
  'retention-sweep': (deps, context) => runRetentionSweep({ db: deps.db, log: context.log, committed: deps.jobsCommitted }),
  'refresh-rollups': (deps) => refreshRollups(deps.db),
  'expire-idempotency-keys': (deps) => expireIdempotencyKeys(deps.db),
};

/** One scheduled run of a task: its result is the job's return value (visible in Bull Board). */
export async function processMaintenance(deps: MaintenanceDeps, payload: JobPayload<'maintenance'>, context: JobContext): Promise<unknown> {
  const result = await TASKS[payload.task](deps, context);
  deps.jobsCommitted();
  deps.lastSuccess?.set({ task: payload.task }, Date.now() / 1000);
  context.log.info({ task: payload.task, result }, 'maintenance task done');
  return result;
}
