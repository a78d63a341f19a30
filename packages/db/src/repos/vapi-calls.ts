import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import { CALL_SUMMARY_COLUMNS, callSummaryOf, type CallFacts, type CallSummary } from './calls';

export const VAPI_CALL_STATUS_RANK: Record<string, number> = {
  scheduled: 1,
  queued: 1,
  ringing: 3,
  'in-progress': 4,
  forwarding: 4,
  ended: 5,
};

export interface VapiCallFacts extends CallFacts {
  vapiCallId: string;
  /** The Twilio CallSid of the same call (`call.transport.callSid`): joins the two providers' views. */
  twilioCallSid: string | null;
  endedReason?: string | null;
  cost?: number | null;
  summary?: string | null;
  successEvaluation?: string | null;
}

/**
 * Creates or advances a VAPI call. When Twilio already told us about the same call (matching
 * CallSid), the VAPI facts join that row instead of creating a second call.
 */
export async function upsertVapiCall(tx: CompanyTx, facts: VapiCallFacts): Promise<CallSummary> {
  const companyId = tx.scope.companyId;
  const rank = facts.status ? (VAPI_CALL_STATUS_RANK[facts.status] ?? 0) : 0;
  const existing = await tx
    .selectFrom('calls')
    .select(['id'])
    .where('company_id', '=', companyId)
    .where((eb) => eb.or([eb('vapi_call_id', '=', facts.vapiCallId), ...(facts.twilioCallSid ? [eb('twilio_call_sid', '=', facts.twilioCallSid)] : [])]))
    .orderBy(sql`vapi_call_id IS NULL`)
    .forUpdate()
    .executeTakeFirst();
  const duration = facts.startedAt && facts.endedAt ? Math.max(0, Math.round((facts.endedAt.getTime() - facts.startedAt.getTime()) / 1000)) : null;
  const values = {
    owner_user_id: facts.ownerUserId,
    twilio_call_sid: facts.twilioCallSid,
    vapi_call_id: facts.vapiCallId,
    from_number: facts.from ?? null,
    to_number: facts.to ?? null,
    direction: facts.direction ?? null,
    started_at: facts.startedAt ?? null,
    ended_at: facts.endedAt ?? null,
    duration_seconds: duration,
    ended_reason: facts.endedReason ?? null,
    cost: facts.cost ?? null,
    summary: facts.summary ?? null,
    success_evaluation: facts.successEvaluation ?? null,
  };
  if (!existing) {
    const inserted = await tx
      .insertInto('calls')
      .values({ company_id: companyId, provider: 'vapi', status: facts.status ?? 'unknown', status_rank: rank, ...values })
      .onConflict((conflict) => conflict.columns(['company_id', 'vapi_call_id']).doNothing())
      .returning(CALL_SUMMARY_COLUMNS)
      .executeTakeFirst();
    if (inserted) return callSummaryOf(inserted);
    // A concurrent event created it a moment ago: fall through to the update.
    return upsertVapiCall(tx, facts);
  }
  const row = await tx
    .updateTable('calls')
    .set({
      owner_user_id: sql`coalesce(owner_user_id, ${values.owner_user_id}::uuid)`,
      vapi_call_id: sql`coalesce(vapi_call_id, ${values.vapi_call_id})`,
      twilio_call_sid: sql`coalesce(twilio_call_sid, ${values.twilio_call_sid})`,
      from_number: sql`coalesce(from_number, ${values.from_number})`,
      to_number: sql`coalesce(to_number, ${values.to_number})`,
      direction: sql`coalesce(direction, ${values.direction})`,
      started_at: sql`coalesce(started_at, ${values.started_at}::timestamptz)`,
      ended_at: sql`coalesce(${values.ended_at}::timestamptz, ended_at)`,
      duration_seconds: sql`coalesce(${values.duration_seconds}::integer, duration_seconds)`,
      ended_reason: sql`coalesce(${values.ended_reason}, ended_reason)`,
      cost: sql`coalesce(${values.cost}::numeric, cost)`,
      summary: sql`coalesce(${values.summary}, summary)`,
      success_evaluation: sql`coalesce(${values.success_evaluation}, success_evaluation)`,
      status: sql`CASE WHEN ${rank}::integer > status_rank THEN ${facts.status ?? 'unknown'} ELSE status END`,
      status_rank: sql`greatest(status_rank, ${rank}::integer)`,
      updated_at: sql`now()`,
    })
    .where('company_id', '=', companyId)
    .where('id', '=', existing.id)
    .returning(CALL_SUMMARY_COLUMNS)
    .executeTakeFirstOrThrow();
  return callSummaryOf(row);
}
