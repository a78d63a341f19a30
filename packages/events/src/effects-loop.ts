import { claimUnappliedEvents, recordEffectsFailure, withPlatform, type Db, type WebhookEvent } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { createDrainLoop, drainLoopsTogether, type DrainLoop } from '@callvault/service-kit';
import { finishSpan, startSpan, traceparentOf, tracingOn, type Span } from '@callvault/tracing';
import type { Counter, Histogram } from 'prom-client';
import { applyClaimedEvents } from './effects-commit';

/**
 * Events claimed and applied in one transaction at most. Measured with bench/ingest (2 cores,
 * 50 connections): bigger batches cost Postgres less per event, and 100 keeps one commit short.
 */
const BATCH = 100;
/**
 * Passes in flight at once, each in its own transaction (SKIP LOCKED hands them different
 * events): while one waits on Postgres, the next batch is claimed. With one, under a sustained
 * burst the effects fell 6–8 s behind the replies (bench/ingest, 2 cores, 15 s of load); with two
 * they kept up. The second lane joins only while the first is busy; two lanes wait for each other
 * only on a call both batches hold.
 */
const LANES = 2;

export interface EffectsLoopMetrics {
  batchSize?: Histogram;
  applied?: Counter;
  failures?: Counter;
}

/**
 * One span per claimed event, under the span that stored it (a new trace for an event stored
 * without one: a sync's, a replay's, or with tracing off then), ended when its batch commits or fails.
 */
function startEffectsSpans(rows: WebhookEvent[]): Map<string, Span> {
  const spans = new Map<string, Span>();
  if (!tracingOn()) return spans;
  for (const row of rows) {
    const attributes = {
      'callvault.event.id': row.id,
      'callvault.provider': row.provider,
      'callvault.event.type': row.event_type,
      ...(row.company_id ? { 'callvault.company_id': row.company_id } : {}),
    };
    const span = startSpan('apply webhook event', { parent: row.traceparent ?? undefined, attributes });
    if (span) spans.set(row.id, span);
  }
  return spans;
}

const traceparentsOf = (spans: Map<string, Span>) => new Map([...spans].map(([id, span]) => [id, traceparentOf(span)!]));

interface BatchOutcome {
  /** Ids claimed (the whole batch when it failed: none of it committed). */
  ids: string[];
  error?: unknown;
}

/**
 * The one path by which events take effect. Each pass claims the oldest accepted events whose
 * effects are still to come (row locks, SKIP LOCKED: replicas share the work, an event is applied
 * once), applies them from their stored rows and marks them applied in the same commit, with the
 * jobs they imply in the outbox. Woken after every intake commit; the idle poll finds what other
 * replicas stored, what a crash left, what a replay accepted and what waited for its retry time.
 * A batch that fails is retried event by event, and an event that fails alone backs off
 * (recorded on its row, counted), so it never blocks the events behind it. The loop runs its
 * passes in `lanes` at once, each lane as a replica would.
 */
export function createEffectsLoop(deps: EffectsLoopDeps & { lanes?: number }): DrainLoop {
  const lanes = deps.lanes ?? LANES;
  return drainLoopsTogether(Array.from({ length: lanes }, () => createEffectsLane(deps)));
}

interface EffectsLoopDeps {
  db: Db;
  log: Logger;
  metrics?: EffectsLoopMetrics;
  idleMs?: number;
  batchSize?: number;
  onApplied?: () => void;
}

function createEffectsLane(deps: EffectsLoopDeps): DrainLoop {
  const batchSize = deps.batchSize ?? BATCH;

  // Where this lane's last full batch ended: its next pass starts there while a backlog drains.
  // Moved only once a batch commits: after a failure the retries start from the oldest event,
  // or the failed batch's events before its last would wait for a pass from the start.
  let drainingFrom: Date | undefined;
  const applyBatch = async (limit: number): Promise<BatchOutcome> => {
    let ids: string[] = [];
    let spans = new Map<string, Span>();
    let next: Date | undefined;
    try {
      await withPlatform(deps.db, async (tx) => {
        const rows = await claimUnappliedEvents(tx, limit, drainingFrom);
        next = rows.length === limit ? rows.at(-1)!.received_at : undefined;
        ids = rows.map((row) => row.id);
        if (rows.length === 0) return;
        spans = startEffectsSpans(rows);
        const { applied, unparseable } = await applyClaimedEvents(tx, rows, traceparentsOf(spans));
        for (const event of unparseable) await recordEffectsFailure(tx, event.eventId, event.reason);
        if (unparseable.length > 0) deps.log.error({ events: unparseable }, 'accepted events whose effects cannot be built from their rows');
        deps.metrics?.batchSize?.observe(rows.length);
        deps.metrics?.applied?.inc(applied.length);
      });
      drainingFrom = next;
      for (const span of spans.values()) finishSpan(span);
      return { ids };
    } catch (error) {
      drainingFrom = undefined;
      for (const span of spans.values()) finishSpan(span, error);
      return { ids, error };
    }
  };

  const recordFailure = async (eventId: string, error: unknown) => {
    deps.metrics?.failures?.inc();
    const reason = error instanceof Error ? error.message : String(error);
    deps.log.error({ err: error, eventId }, 'event effects failed; the event waits for a retry');
    await withPlatform(deps.db, (tx) => recordEffectsFailure(tx, eventId, reason)).catch((recordError: unknown) =>
      deps.log.warn({ err: recordError, eventId }, 'could not record the failure'),
    );
  };

  return createDrainLoop({
    what: 'effects pass',
    log: deps.log,
    batchSize,
    idleMs: deps.idleMs ?? 1_000,
    pass: async () => {
      const batch = await applyBatch(batchSize);
      if (batch.error === undefined) {
        if (batch.ids.length > 0) deps.onApplied?.();
        return batch.ids.length;
      }
      if (batch.ids.length === 0) throw batch.error;
      if (batch.ids.length === 1) {
        await recordFailure(batch.ids[0]!, batch.error);
        return 1;
      }
      // One bad event (or a deadlock with another replica) must not hold back its neighbours.
      deps.log.warn({ err: batch.error, events: batch.ids.length }, 'effects batch failed; applying its events one by one');
      for (let index = 0; index < batch.ids.length; index += 1) {
        const single = await applyBatch(1);
        if (single.error !== undefined && single.ids[0]) await recordFailure(single.ids[0], single.error);
        if (single.ids.length === 0) break;
      }
      deps.onApplied?.();
      return batch.ids.length;
    },
  });
}
