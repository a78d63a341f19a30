import { sql } from 'kysely';
import type { PlatformTx } from '../../client';
import type { ScopedTx } from '../../read-scope';
import type { Provider, Recording } from '../../schema';
import type { InScope } from '../../in-scope';
import { assertOwnCompany, whereOwnCompany } from '../../own-company';

/** A stored provider payload of a call whose content is being erased. */
export interface CallPayload {
  id: string;
  provider: Provider;
  payload: Record<string, unknown>;
}

type RecordingRef = InScope<Pick<Recording, 'company_id' | 'call_id' | 'provider' | 'provider_recording_id'>>;

/**
 * Removes what a deleted recording's call said, beyond the transcript and metrics the tombstone
 * already drops: the provider's own transcript of each recording, and the call's summary and
 * success evaluation unless the call is in `keepCalls` (a sibling recording is under legal hold).
 * The call row stays (numbers, times, status: the facts rollups and the audit trail stand on).
 */
export async function eraseCallContent(tx: ScopedTx, recordings: readonly RecordingRef[], keepCalls: ReadonlySet<string>): Promise<void> {
  assertOwnCompany(tx, recordings, 'eraseCallContent');
  if (recordings.length === 0) return;
  const transcriptKeys = recordings.map((r) => sql`(${r.company_id}::uuid, ${r.provider}::text, ${r.provider_recording_id}::text)`);
  await tx
    .deleteFrom('provider_transcripts')
    .where(sql<boolean>`(company_id, provider::text, provider_recording_id) IN (${sql.join(transcriptKeys)})`)
    .execute();
  const erasable = recordings.filter((r) => !keepCalls.has(r.call_id));
  if (erasable.length === 0) return;
  const calls = erasable.map((r) => sql`(${r.company_id}::uuid, ${r.call_id}::uuid)`);
  await tx
    .updateTable('calls')
    .set({ summary: null, success_evaluation: null, updated_at: new Date() })
    .where(sql<boolean>`(company_id, id) IN (${sql.join(calls)})`)
    .execute();
}

/**
 * The calls among these recordings' that still have a recording under legal hold (not one of
 * these: the erasure path refuses held recordings before it gets here). What belongs to the whole
 * call (its summary, its provider payloads) is evidence of the held recording too and must stay.
 * The held rows are locked FOR SHARE, so a hold cannot be lifted halfway through this erasure, and
 * one set at the same moment waits for it.
 */
export async function listCallsUnderHold(tx: ScopedTx, recordings: readonly InScope<Pick<Recording, 'company_id' | 'call_id'>>[]): Promise<Set<string>> {
  assertOwnCompany(tx, recordings, 'listCallsUnderHold');
  if (recordings.length === 0) return new Set();
  const calls = recordings.map((r) => sql`(${r.company_id}::uuid, ${r.call_id}::uuid)`);
  const held = await tx
    .selectFrom('recordings')
    .select('call_id')
    .where(sql<boolean>`(company_id, call_id) IN (${sql.join(calls)})`)
    .where('legal_hold', '=', true)
    .where('status', '<>', 'deleted')
    .forShare()
    .execute();
  return new Set(held.map((row) => row.call_id));
}

/**
 * The stored provider payloads of the recordings' calls not yet redacted, locked: every event
 * whose provider call id (Twilio CallSid, VAPI call id) is the call's, in the call's company.
 */
export async function lockCallPayloads(tx: ScopedTx, recordings: readonly InScope<Pick<Recording, 'company_id' | 'call_id'>>[]): Promise<CallPayload[]> {
  assertOwnCompany(tx, recordings, 'lockCallPayloads');
  if (recordings.length === 0) return [];
  const calls = recordings.map((r) => sql`(${r.company_id}::uuid, ${r.call_id}::uuid)`);
  const rows = await tx
    .selectFrom('webhook_events as e')
    .innerJoin('calls as c', (join) => join.onRef('c.company_id', '=', 'e.company_id').on(sql<boolean>`e.call_ref IN (c.twilio_call_sid, c.vapi_call_id)`))
    .select(['e.id', 'e.provider', 'e.payload'])
    .where(sql<boolean>`(c.company_id, c.id) IN (${sql.join(calls)})`)
    .where('e.payload_redacted_at', 'is', null)
    .forUpdate('e')
    .execute();
  return rows.map((row) => ({ id: row.id, provider: row.provider, payload: row.payload as Record<string, unknown> }));
}

/** Stores a payload with its content redacted; ids, keys, status and times of the row stay. */
export async function storeRedactedPayload(tx: ScopedTx, id: string, payload: Record<string, unknown>, redactedAt: Date): Promise<void> {
  // An erasure in a company transaction redacts that company's payloads only; the lifetime job's
  // platform transaction redacts any company's.
  await whereOwnCompany(
    tx
      .updateTable('webhook_events')
      .set({ payload: JSON.stringify(payload) as never, payload_redacted_at: redactedAt })
      .where('id', '=', id),
    tx,
  ).execute();
}

/**
 * Stored provider payloads whose content outlived `before`, still unredacted, locked and skipped
 * when another run holds them: the lifetime job redacts them in batches. An accepted event counts
 * from when its effects were applied (never before: its payload is what they are built from); a
 * rejected or quarantined one, which has no effects, from its arrival.
 */
export async function lockExpiredPayloads(tx: PlatformTx, before: Date, limit: number): Promise<CallPayload[]> {
  const rows = await tx
    .selectFrom('webhook_events')
    .select(['id', 'provider', 'payload'])
    .where('payload_redacted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('applied_at', 'is not', null), eb('applied_at', '<', before)]),
        eb.and([eb('status', 'in', ['rejected', 'quarantined']), eb('received_at', '<', before)]),
      ]),
    )
    .orderBy('received_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => ({ id: row.id, provider: row.provider, payload: row.payload as Record<string, unknown> }));
}

/** Deletes audit events older than their company's period; see migration 0013 for the guard. */
export async function pruneExpiredAuditEvents(tx: PlatformTx, asOf: Date, batch: number): Promise<number> {
  const result = await sql<{ removed: number }>`SELECT prune_expired_audit_events(${asOf}, ${batch}) AS removed`.execute(tx);
  return result.rows[0]?.removed ?? 0;
}
