import { claimEventsForEffects, narrowToCompany, recordAppliedEffects, widenToPlatform, withPlatform, type CompanyTx, type Db } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { EventEffects } from './event-intake';

/** An accepted event's effects, waiting to be applied in its company. */
export interface PendingEffects {
  eventId: string;
  companyId: string;
  /** The provider's call id: a batch applies effects in (company, call) order. */
  callRef: string;
  effects: EventEffects;
}

/** `applied: false`: another transaction applied (or is applying) this event; nothing was done here. */
export type AppliedEffects = { applied: false } | { applied: true; jobs: QueuedJob[] };

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Applies many events' effects in one transaction. Claiming the events first (row locks, then
 * `applied_at` set in the same transaction) makes each event's effects happen once, however often it is handed in (twice in one batch, by
 * the webhook and by the sweep, by two replicas). Effects run company by company with RLS bound
 * to each, in (company, call) order so that concurrent transactions lock calls in the same order;
 * the jobs they cause are stored with their events for the relay.
 */
export async function commitEffects(db: Db, items: PendingEffects[]): Promise<AppliedEffects[]> {
  return withPlatform(db, async (platformTx) => {
    const claimed = await claimEventsForEffects(platformTx, [...new Set(items.map((item) => item.eventId))]);
    const results: AppliedEffects[] = items.map(() => ({ applied: false }));
    const entries: EffectEntry[] = [];
    items.forEach((item, index) => {
      // A claim is used once: the first of two hand-ins of one event applies it.
      if (claimed.delete(item.eventId)) entries.push({ index, item });
    });
    entries.sort((a, b) => compare(a.item.companyId, b.item.companyId) || compare(a.item.callRef, b.item.callRef));

    const appliedEvents: Array<{ eventId: string; jobs: QueuedJob[] }> = [];
    for (const [companyId, companyEntries] of groupBy(entries, (entry) => entry.item.companyId)) {
      // narrowToCompany and widenToPlatform re-scope this one transaction object in place.
      const companyTx = await narrowToCompany(platformTx, companyId);
      for (const [entry, jobs] of await applyCompanyEffects(companyTx, companyEntries)) {
        results[entry.index] = { applied: true, jobs };
        appliedEvents.push({ eventId: entry.item.eventId, jobs });
      }
    }
    if (appliedEvents.length > 0) await recordAppliedEffects(await widenToPlatform(platformTx), appliedEvents);
    return results;
  });
}

interface EffectEntry {
  index: number;
  item: PendingEffects;
}

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

/**
 * One company's effects: set-based kinds in rounds where each call appears once (a statement
 * may touch a row once), then the rest one by one. Entries arrive sorted by call.
 */
async function applyCompanyEffects(tx: CompanyTx, entries: EffectEntry[]): Promise<Array<[EffectEntry, QueuedJob[]]>> {
  const applied: Array<[EffectEntry, QueuedJob[]]> = [];
  for (const sameKind of groupBy(entries.filter((entry) => entry.item.effects.batch), (entry) => entry.item.effects.batch!.kind).values()) {
    const rounds: EffectEntry[][] = [];
    const seen = new Map<string, number>();
    for (const entry of sameKind) {
      const round = (seen.get(entry.item.callRef) ?? -1) + 1;
      seen.set(entry.item.callRef, round);
      (rounds[round] ??= []).push(entry);
    }
    for (const round of rounds) {
      const batch = round[0]!.item.effects.batch!;
      const jobs = await batch.applyAll(tx, round.map((entry) => entry.item.effects.batch!.input));
      round.forEach((entry, position) => applied.push([entry, jobs[position] ?? []]));
    }
  }
  for (const entry of entries.filter((candidate) => !candidate.item.effects.batch)) applied.push([entry, await entry.item.effects.apply(tx)]);
  return applied;
}
