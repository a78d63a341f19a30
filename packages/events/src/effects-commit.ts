import { inCompany, insertOutboxJobs, markEventsApplied, type CompanyTx, type PlatformTx, type WebhookEvent } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { EventEffects } from './event-types';
import { effectsOfStoredEvent } from './stored-events';

/** A claimed event whose effects could not be built from its row (a bug: it was accepted). */
export interface UnparseableEvent {
  eventId: string;
  reason: string;
}

interface Entry {
  row: WebhookEvent;
  companyId: string;
  /** The provider's call id: effects run in (company, call) order, so concurrent batches lock calls in one order. */
  callRef: string;
  effects: EventEffects;
  /** The trace the event's jobs continue: its own, not the batch's. */
  traceparent: string | undefined;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** An event's jobs carry its trace, so that their runs join the request that delivered it. */
const inTrace = (jobs: QueuedJob[], traceparent: string | undefined) => (traceparent ? jobs.map((job) => ({ ...job, traceparent })) : jobs);

/**
 * Applies the effects of claimed events in the claiming transaction, company by company with RLS
 * bound to each, in (company, call) order; the jobs they imply go to each company's outbox, and
 * the events are marked applied, all in the same commit. Returns the events whose rows do not
 * parse: the caller records them as failed. `traceparents` (event id → the span applying it)
 * is empty while tracing is off.
 */
export async function applyClaimedEvents(
  tx: PlatformTx,
  rows: WebhookEvent[],
  traceparents: ReadonlyMap<string, string> = new Map(),
): Promise<{ applied: string[]; unparseable: UnparseableEvent[] }> {
  const entries: Entry[] = [];
  const unparseable: UnparseableEvent[] = [];
  for (const row of rows) {
    const effects = row.company_id ? effectsOfStoredEvent(row) : undefined;
    if (!row.company_id || !effects)
      unparseable.push({ eventId: row.id, reason: row.company_id ? 'the stored payload no longer parses' : 'an accepted event without a company' });
    else entries.push({ row, companyId: row.company_id, callRef: row.call_ref ?? row.id, effects, traceparent: traceparents.get(row.id) });
  }
  entries.sort((a, b) => compare(a.companyId, b.companyId) || compare(a.callRef, b.callRef));
  for (const [companyId, companyEntries] of groupBy(entries, (entry) => entry.companyId)) {
    await inCompany(tx, companyId, async (companyTx) => insertOutboxJobs(companyTx, (await applyCompanyEffects(companyTx, companyEntries)).flat()));
  }
  await markEventsApplied(
    tx,
    entries.map((entry) => entry.row),
  );
  return { applied: entries.map((entry) => entry.row.id), unparseable };
}

/**
 * One company's effects: set-based kinds in rounds where each call appears once (a statement
 * may touch a row once), then the rest one by one. Entries arrive sorted by call.
 */
async function applyCompanyEffects(tx: CompanyTx, entries: Entry[]): Promise<QueuedJob[][]> {
  const jobs: QueuedJob[][] = [];
  for (const sameKind of groupBy(
    entries.filter((entry) => entry.effects.batch),
    (entry) => entry.effects.batch!.kind,
  ).values()) {
    const rounds: Entry[][] = [];
    const seen = new Map<string, number>();
    for (const entry of sameKind) {
      const round = (seen.get(entry.callRef) ?? -1) + 1;
      seen.set(entry.callRef, round);
      rounds[round] ??= [];
      rounds[round].push(entry);
    }
    for (const round of rounds) {
      const perInput = await round[0]!.effects.batch!.applyAll(
        tx,
        round.map((entry) => entry.effects.batch!.input),
      );
      jobs.push(...perInput.map((inputJobs, index) => inTrace(inputJobs, round[index]!.traceparent)));
    }
  }
  for (const entry of entries.filter((candidate) => !candidate.effects.batch)) jobs.push(inTrace(await entry.effects.apply(tx), entry.traceparent));
  return jobs;
}
