import { insertWebhookEvents, narrowToCompany, setWebhookEventsJobs, widenToPlatform, withPlatform, type CompanyTx, type Db, type NewWebhookEvent } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { IntakeEvent, IntakeOutcome, PreparedEvent } from './event-intake';

export type StoredStatus = Exclude<IntakeOutcome, 'duplicate'>;

export type CommittedEvent = { duplicate: true } | { duplicate: false; status: StoredStatus; eventId: string; jobs: QueuedJob[] };

function storedStatusOf(prepared: PreparedEvent | undefined): StoredStatus {
  return prepared === undefined ? 'rejected' : prepared.resolution.kind === 'resolved' ? 'accepted' : 'quarantined';
}

function toRow(event: IntakeEvent, prepared: PreparedEvent | undefined): NewWebhookEvent {
  const resolution = prepared?.resolution;
  return {
    companyId: resolution?.kind === 'resolved' ? resolution.companyId : null,
    provider: event.provider,
    eventType: event.eventType,
    idempotencyKey: event.idempotencyKey,
    status: storedStatusOf(prepared),
    reason: resolution === undefined ? event.rejectReason ?? 'malformed' : resolution.kind === 'quarantined' ? resolution.reason : null,
    externalAccountId: event.externalAccountId,
    callRef: event.callRef,
    payload: event.payload,
    requestPath: event.requestPath,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Commits a batch of events in one transaction: every event row in one statement (a key already
 * stored, or repeated in the batch, is a duplicate with no effect), then the effects of the new
 * resolved events company by company (RLS bound to each), then their jobs. Effects run in
 * (company, call) order so that concurrent batches lock calls in the same order.
 */
export async function commitEvents(db: Db, events: IntakeEvent[]): Promise<CommittedEvent[]> {
  return withPlatform(db, async (platformTx) => {
    // Tenant lookups first: they only read, so they take no locks a neighbour could wait on.
    const prepared: Array<PreparedEvent | undefined> = [];
    for (const event of events) prepared.push(event.prepare ? await event.prepare(platformTx) : undefined);
    const insertedIds = await insertWebhookEvents(platformTx, events.map((event, index) => toRow(event, prepared[index])));
    const claimed = new Set<string>();
    const results: CommittedEvent[] = events.map((event, index) => {
      const eventId = insertedIds.get(event.idempotencyKey);
      if (!eventId || claimed.has(event.idempotencyKey)) return { duplicate: true };
      claimed.add(event.idempotencyKey);
      return { duplicate: false, status: storedStatusOf(prepared[index]), eventId, jobs: [] };
    });

    const withEffects: EffectEntry[] = events
      .map((event, index) => {
        const resolution = prepared[index]?.resolution;
        const companyId = resolution?.kind === 'resolved' && !results[index]!.duplicate ? resolution.companyId : undefined;
        return { index, callRef: event.callRef ?? `#${index}`, companyId, prepared: prepared[index] };
      })
      .filter((entry): entry is EffectEntry => entry.companyId !== undefined && (entry.prepared?.apply !== undefined || entry.prepared?.batch !== undefined))
      .sort((a, b) => compare(a.companyId, b.companyId) || compare(a.callRef, b.callRef));
    if (withEffects.length === 0) return results;

    const jobsByEvent: Array<{ eventId: string; jobs: QueuedJob[] }> = [];
    for (const [companyId, entries] of groupBy(withEffects, (entry) => entry.companyId)) {
      // narrowToCompany and widenToPlatform re-scope this one transaction object in place.
      const companyTx = await narrowToCompany(platformTx, companyId);
      for (const [entry, jobs] of await applyCompanyEffects(companyTx, entries)) {
        const result = results[entry.index]!;
        if (!result.duplicate && jobs.length > 0) {
          result.jobs = jobs;
          jobsByEvent.push({ eventId: result.eventId, jobs });
        }
      }
    }
    if (jobsByEvent.length > 0) await setWebhookEventsJobs(await widenToPlatform(platformTx), jobsByEvent);
    return results;
  });
}

interface EffectEntry {
  index: number;
  callRef: string;
  companyId: string;
  prepared: PreparedEvent;
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
  for (const sameKind of groupBy(entries.filter((entry) => entry.prepared.batch), (entry) => entry.prepared.batch!.kind).values()) {
    const rounds: EffectEntry[][] = [];
    const seen = new Map<string, number>();
    for (const entry of sameKind) {
      const round = (seen.get(entry.callRef) ?? -1) + 1;
      seen.set(entry.callRef, round);
      (rounds[round] ??= []).push(entry);
    }
    for (const round of rounds) {
      const batch = round[0]!.prepared.batch!;
      const jobs = await batch.applyAll(tx, round.map((entry) => entry.prepared.batch!.input));
      round.forEach((entry, position) => applied.push([entry, jobs[position] ?? []]));
    }
  }
  for (const entry of entries.filter((candidate) => !candidate.prepared.batch)) applied.push([entry, await entry.prepared.apply!(tx)]);
  return applied;
}
