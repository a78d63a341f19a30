import { sql } from 'kysely';
import type { PlatformTx } from '../client';
import type { ScopedTx } from '../read-scope';
import { assertOwnCompany } from '../own-company';

/** A job as the outbox keeps it: the queue, its deterministic id, the payload, the lane, the trace it continues. */
export interface OutboxJob {
  queue: string;
  jobId: string;
  payload: Record<string, unknown>;
  priority?: number | undefined;
  traceparent?: string | undefined;
}

export interface ClaimedOutboxJob extends OutboxJob {
  id: string;
}

/**
 * Records jobs in the transaction of the change that implies them: they commit with it or not at
 * all, and the relay puts them into Redis afterwards. Each row carries the company its job is
 * for; the platform's own jobs (a tenant lookup of a quarantined event) carry none.
 */
export async function insertOutboxJobs(tx: ScopedTx, jobs: readonly OutboxJob[]): Promise<void> {
  if (jobs.length === 0) return;
  // A job belongs to the company its payload names. A company transaction records its own jobs
  // only: refused here, before RLS would refuse the row.
  const named = (job: OutboxJob) => (typeof job.payload.companyId === 'string' ? job.payload.companyId : null);
  assertOwnCompany(
    tx,
    jobs.map(named).filter((companyId) => companyId !== null),
    'insertOutboxJobs',
  );
  const companyOf = (job: OutboxJob) => named(job) ?? (tx.scope.kind === 'company' ? tx.scope.companyId : null);
  await tx
    .insertInto('job_outbox')
    .values(
      jobs.map((job) => ({
        company_id: companyOf(job),
        queue: job.queue,
        job_id: job.jobId,
        payload: JSON.stringify(job.payload),
        priority: job.priority ?? null,
        // Left out with tracing off: the statement stays the one it was without traces.
        ...(job.traceparent ? { traceparent: job.traceparent } : {}),
      })),
    )
    .execute();
}

/**
 * Jobs waiting for Redis, oldest first, locked for this transaction: rows another relay holds are
 * skipped. The caller deletes what it enqueued before committing; a failed enqueue rolls back and
 * leaves them for the next pass.
 */
export async function claimOutboxJobs(tx: PlatformTx, limit: number): Promise<ClaimedOutboxJob[]> {
  const rows = await sql<{ id: string; queue: string; job_id: string; payload: Record<string, unknown>; priority: number | null; traceparent: string | null }>`
    SELECT id::text, queue, job_id, payload, priority, traceparent FROM job_outbox ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
  return rows.rows.map((row) => ({
    id: row.id,
    queue: row.queue,
    jobId: row.job_id,
    payload: row.payload,
    ...(row.priority !== null ? { priority: row.priority } : {}),
    ...(row.traceparent !== null ? { traceparent: row.traceparent } : {}),
  }));
}

export async function deleteOutboxJobs(tx: PlatformTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`DELETE FROM job_outbox WHERE id = ANY(${ids}::bigint[])`.execute(tx);
}

/** How many jobs wait and since when: a growing age means Redis refuses them. */
export async function outboxBacklog(tx: PlatformTx): Promise<{ jobs: number; oldest: Date | null }> {
  const row = await sql<{ jobs: number; oldest: Date | null }>`SELECT count(*)::int AS jobs, min(created_at) AS oldest FROM job_outbox`.execute(tx);
  return row.rows[0] ?? { jobs: 0, oldest: null };
}
