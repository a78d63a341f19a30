import type { Config } from '@callvault/config';
import type { Db } from '@callvault/db';
import { pruneAuditTrail, redactExpiredPayloads, runRetentionSweep } from '@callvault/erasure';
import type { JobContext, JobPayload, MaintenanceTask } from '@callvault/queue';
import type { Counter, Gauge } from 'prom-client';
import { expireIdempotencyKeys } from './tasks/expire-idempotency-keys';
import { maintainPartitions } from './tasks/maintain-partitions';
import { redriveJobs } from './tasks/redrive-jobs';
import { refreshRollups } from './tasks/refresh-rollups';
import { scheduleSyncs } from './tasks/schedule-syncs';

export interface MaintenanceDeps {
  config: Pick<Config, 'SYNC_INTERVAL_MINUTES' | 'FETCH_REDRIVE_AFTER_SECONDS' | 'WEBHOOK_PAYLOAD_RETENTION_DAYS' | 'WEBHOOK_EVENT_RETENTION_DAYS'>;
  db: Db;
  /** Wakes the outbox relay: most tasks record jobs. */
  jobsCommitted: () => void;
  lastSuccess?: Gauge<'task'>;
  /** Payloads redacted, audit events removed and months dropped by the lifetime tasks. */
  lifetimeItems?: Counter<'task'>;
  /** The clock of the time-based tasks: tests move it instead of waiting years. */
  now?: () => Date;
}

const clock = (deps: MaintenanceDeps) => (deps.now ?? (() => new Date()))();

const TASKS: Record<MaintenanceTask, (deps: MaintenanceDeps, context: JobContext) => Promise<unknown>> = {
  'schedule-syncs': (deps) => scheduleSyncs(deps.db, deps.config.SYNC_INTERVAL_MINUTES),
  'redrive-jobs': (deps) => redriveJobs(deps.db, deps.config.FETCH_REDRIVE_AFTER_SECONDS),
  'retention-sweep': (deps, context) => runRetentionSweep({ db: deps.db, log: context.log, committed: deps.jobsCommitted }, clock(deps)),
  'refresh-rollups': (deps) => refreshRollups(deps.db),
  'expire-idempotency-keys': (deps) => expireIdempotencyKeys(deps.db),
  'redact-payloads': async (deps) => {
    const result = await redactExpiredPayloads(deps, deps.config.WEBHOOK_PAYLOAD_RETENTION_DAYS, clock(deps));
    deps.lifetimeItems?.inc({ task: 'redact-payloads' }, result.redacted);
    return result;
  },
  'prune-audit-trail': async (deps) => {
    const result = await pruneAuditTrail(deps, clock(deps));
    deps.lifetimeItems?.inc({ task: 'prune-audit-trail' }, result.removed);
    return result;
  },
  'maintain-partitions': async (deps) => {
    const changes = await maintainPartitions(deps.db, deps.config.WEBHOOK_EVENT_RETENTION_DAYS, clock(deps));
    deps.lifetimeItems?.inc({ task: 'maintain-partitions' }, changes.filter((change) => change.outcome.startsWith('dropped')).length);
    return { changes };
  },
};

/** One scheduled run of a task: its result is the job's return value (visible in Bull Board). */
export async function processMaintenance(deps: MaintenanceDeps, payload: JobPayload<'maintenance'>, context: JobContext): Promise<unknown> {
  const result = await TASKS[payload.task](deps, context);
  deps.jobsCommitted();
  deps.lastSuccess?.set({ task: payload.task }, Date.now() / 1000);
  context.log.info({ task: payload.task, result }, 'maintenance task done');
  return result;
}
