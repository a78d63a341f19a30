import type { Config } from '@callvault/config';
import type { MaintenanceTask, Producer } from '@callvault/queue';
import { redriveIntervalMs } from './tasks/redrive-jobs';

/**
 * How often each task runs. BullMQ job schedulers make each run once per period across every
 * operations replica, retried on failure and visible in Bull Board; registering them again on
 * every start only updates the period.
 */
export function maintenanceSchedule(config: Pick<Config, 'SYNC_INTERVAL_MINUTES' | 'FETCH_REDRIVE_AFTER_SECONDS'>): Array<[MaintenanceTask, number]> {
  return [
    // 0 turns the periodic sync off (a sync then only runs on request).
    ...(config.SYNC_INTERVAL_MINUTES > 0 ? [['schedule-syncs', config.SYNC_INTERVAL_MINUTES * 60_000] as [MaintenanceTask, number]] : []),
    ['redrive-jobs', redriveIntervalMs(config.FETCH_REDRIVE_AFTER_SECONDS)],
    ['retention-sweep', 60 * 60_000],
    // Stats read rollups: a few seconds behind the calls at most.
    ['refresh-rollups', 5_000],
    // Keys answer for 24 h; an expired one is already ignored, this only frees the space.
    ['expire-idempotency-keys', 15 * 60_000],
    // Lifetimes are counted in days: hourly keeps each item within an hour of its end.
    ['redact-payloads', 60 * 60_000],
    ['prune-audit-trail', 60 * 60_000],
    // Three months are created ahead: an hourly run has months to recover before a row would
    // have to land in a default partition.
    ['maintain-partitions', 60 * 60_000],
  ];
}

export async function registerSchedules(producer: Producer, schedule: Array<[MaintenanceTask, number]>): Promise<void> {
  for (const [task, everyMs] of schedule) await producer.schedule(task, everyMs);
  // A task switched off (SYNC_INTERVAL_MINUTES=0) must stop running where it was scheduled before.
  const active = new Set(schedule.map(([task]) => task));
  for (const scheduler of await producer.queue('maintenance').getJobSchedulers()) {
    if (scheduler.key && !active.has(scheduler.key as MaintenanceTask)) await producer.queue('maintenance').removeJobScheduler(scheduler.key);
  }
}
