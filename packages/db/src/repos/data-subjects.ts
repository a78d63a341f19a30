import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import type { Call, Recording } from '../schema';
import { inScope, type InScope } from '../in-scope';

/**
 * What a company holds about one phone number (a data subject): its calls are those where the
 * number is a party, on the call or on one of its recordings. Every query takes the company
 * transaction and filters by its company id on top of RLS.
 */
const isSubjectCall = (tx: CompanyTx, e164: string) =>
  sql<boolean>`(calls.from_number = ${e164} OR calls.to_number = ${e164} OR EXISTS (
    SELECT 1 FROM recordings r
    WHERE r.company_id = ${tx.scope.companyId} AND r.call_id = calls.id AND (r.from_number = ${e164} OR r.to_number = ${e164})
  ))`;

/** One page of the subject's calls in id order (keyset: rows after `afterId`). */
export async function listSubjectCallsPage(tx: CompanyTx, e164: string, page: { afterId: string | null; limit: number }): Promise<Call[]> {
  let query = tx.selectFrom('calls').selectAll().where('company_id', '=', tx.scope.companyId).where(isSubjectCall(tx, e164)).orderBy('id').limit(page.limit);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  return query.execute();
}

export async function countSubjectCalls(tx: CompanyTx, e164: string): Promise<number> {
  const row = await tx
    .selectFrom('calls')
    .select(sql<string>`count(*)`.as('n'))
    .where('company_id', '=', tx.scope.companyId)
    .where(isSubjectCall(tx, e164))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everything hanging off one page of calls, fetched in one round of queries per table. */
export async function loadSubjectCallDetails(tx: CompanyTx, calls: readonly Call[]) {
  const companyId = tx.scope.companyId;
  const callIds = calls.map((call) => call.id);
  if (callIds.length === 0) return { recordings: [], transcripts: [], metrics: [], analyses: [], providerTranscripts: [], webhookEvents: [], auditEvents: [] };
  const recordings = await tx.selectFrom('recordings').selectAll().where('company_id', '=', companyId).where('call_id', 'in', callIds).orderBy('id').execute();
  const recordingIds = recordings.map((recording) => recording.id);
  const providerRecordingIds = recordings.map((recording) => recording.provider_recording_id);
  const callRefs = calls.flatMap((call) => [call.twilio_call_sid, call.vapi_call_id]).filter((ref): ref is string => ref !== null);
  const none = ['00000000-0000-0000-0000-000000000000'];
  const transcripts = await tx
    .selectFrom('transcripts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('recording_id', 'in', recordingIds.length > 0 ? recordingIds : none)
    .execute();
  const metrics = await tx.selectFrom('call_metrics').selectAll().where('company_id', '=', companyId).where('call_id', 'in', callIds).execute();
  const analyses = await tx.selectFrom('call_analyses').selectAll().where('company_id', '=', companyId).where('call_id', 'in', callIds).execute();
  const providerTranscripts =
    providerRecordingIds.length === 0
      ? []
      : await tx
          .selectFrom('provider_transcripts')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('provider_recording_id', 'in', providerRecordingIds)
          .execute();
  const webhookEvents =
    callRefs.length === 0
      ? []
      : await tx
          .selectFrom('webhook_events')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('call_ref', 'in', callRefs)
          .orderBy('received_at')
          .execute();
  const auditEvents = await tx
    .selectFrom('audit_events')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('target_id', 'in', [...callIds, ...recordingIds])
    .orderBy('created_at')
    .execute();
  return { recordings, transcripts, metrics, analyses, providerTranscripts, webhookEvents, auditEvents };
}

/** The subject's recordings not yet deleted, locked for erasure. */
export async function lockSubjectRecordings(tx: CompanyTx, e164: string): Promise<InScope<Recording>[]> {
  const rows = await tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('status', '<>', 'deleted')
    .where((eb) =>
      eb.or([
        eb('from_number', '=', e164),
        eb('to_number', '=', e164),
        eb('call_id', 'in', eb.selectFrom('calls').select('id').where('company_id', '=', tx.scope.companyId).where(isSubjectCall(tx, e164))),
      ]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  return inScope(rows);
}

/** The exact number in payload text, not a longer one it begins (+1312555077 must leave +13125550777 alone). */
const exactNumberPattern = (e164: string) => `\\${e164}(?![0-9])`;

/** A held recording (not deleted) of the call a stored provider event belongs to. */
const eventOfHeldCall = (companyId: string) =>
  sql<boolean>`EXISTS (
    SELECT 1 FROM calls c JOIN recordings r ON r.company_id = c.company_id AND r.call_id = c.id
    WHERE c.company_id = ${companyId} AND webhook_events.call_ref IN (c.twilio_call_sid, c.vapi_call_id)
      AND r.legal_hold AND r.status <> 'deleted')`;

/**
 * Recordings under legal hold whose call's stored provider payloads mention the number although
 * it is not a party of the call (a forwarding number, a transfer target): the erasure would
 * rewrite their evidence, so they refuse it as the subject's own held recordings do. Locked.
 */
export async function lockHeldRecordingsMentioning(tx: CompanyTx, e164: string): Promise<Recording[]> {
  const companyId = tx.scope.companyId;
  return tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('legal_hold', '=', true)
    .where('status', '<>', 'deleted')
    .where('call_id', 'in', (eb) =>
      eb
        .selectFrom('calls as c')
        .innerJoin('webhook_events as e', (join) =>
          join.onRef('e.company_id', '=', 'c.company_id').on(sql<boolean>`e.call_ref IN (c.twilio_call_sid, c.vapi_call_id)`),
        )
        .select('c.id')
        .where('c.company_id', '=', companyId)
        .where(sql<boolean>`e.payload::text ~ ${exactNumberPattern(e164)}`),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Removes the number itself wherever the company keeps it for these calls: the parties of calls
 * and recordings (tombstones included), the call's summary and evaluation, and every occurrence in
 * the stored provider payloads of the company (their ids and keys stay, so deduplication and the
 * audit trail still work). An E.164 number has no character JSON escapes, so a textual
 * replacement keeps each payload valid JSON. Only `+` and digits may reach here: the caller validates.
 */
export async function eraseSubjectNumber(tx: CompanyTx, e164: string): Promise<{ calls: number; payloads: number }> {
  if (!/^\+[0-9]{1,15}$/.test(e164)) throw new Error('eraseSubjectNumber takes an E.164 number');
  const companyId = tx.scope.companyId;
  const now = new Date();
  // First the content of the subject's calls, found while the numbers still say which they are.
  const calls = await tx
    .updateTable('calls')
    .set({ summary: null, success_evaluation: null, updated_at: now })
    .where('company_id', '=', companyId)
    .where(isSubjectCall(tx, e164))
    .executeTakeFirst();
  for (const column of ['from_number', 'to_number'] as const) {
    await tx
      .updateTable('calls')
      .set({ [column]: null, updated_at: now })
      .where('company_id', '=', companyId)
      .where(column, '=', e164)
      .execute();
    await tx
      .updateTable('recordings')
      .set({ [column]: null, updated_at: now })
      .where('company_id', '=', companyId)
      .where(column, '=', e164)
      .execute();
  }
  let payloads = 0;
  // E.164 is '+' and digits only (validated at the boundary), so escaping the '+' makes it a literal.
  const exactNumber = exactNumberPattern(e164);
  for (const table of ['webhook_events', 'webhook_deliveries'] as const) {
    const result = await tx
      .updateTable(table)
      .set({ payload: sql`regexp_replace(payload::text, ${exactNumber}, '[erased]', 'g')::jsonb` })
      .where('company_id', '=', companyId)
      .where(sql<boolean>`payload::text ~ ${exactNumber}`)
      // The caller refused held calls already (lockHeldRecordingsMentioning); a hold set since stays intact.
      .$if(table === 'webhook_events', (update) => update.where(sql<boolean>`NOT ${eventOfHeldCall(companyId)}`))
      .executeTakeFirst();
    payloads += Number(result.numUpdatedRows);
  }
  return { calls: Number(calls.numUpdatedRows), payloads };
}
