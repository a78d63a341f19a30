import { sql } from 'kysely';
import type { CompanyTx, PlatformTx } from '../client';

/**
 * Twilio's call lifecycle in order; terminal states share the top rank. A callback only moves a
 * call forward, so a late `ringing` after `completed` (arrival order is not guaranteed) changes nothing.
 */
export const TWILIO_CALL_STATUS_RANK: Record<string, number> = {
  queued: 1,
  initiated: 2,
  ringing: 3,
  'in-progress': 4,
  completed: 5,
  busy: 5,
  failed: 5,
  'no-answer': 5,
  canceled: 5,
};

export interface TwilioCallFacts {
  accountSid: string;
  callSid: string;
  ownerUserId: string | null;
  status?: string;
  from?: string | null;
  to?: string | null;
  direction?: string | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  durationSeconds?: number | null;
}

/**
 * Creates the call from whichever event arrives first and fills in what later events add.
 * Facts already known are kept (coalesce); the status only advances.
 */
export async function upsertTwilioCall(tx: CompanyTx, facts: TwilioCallFacts): Promise<{ id: string; ownerUserId: string | null; from: string | null; to: string | null; direction: string | null }> {
  const status = facts.status ?? 'unknown';
  const rank = TWILIO_CALL_STATUS_RANK[status] ?? 0;
  const row = await tx
    .insertInto('calls')
    .values({
      company_id: tx.scope.companyId,
      provider: 'twilio',
      twilio_account_sid: facts.accountSid,
      twilio_call_sid: facts.callSid,
      owner_user_id: facts.ownerUserId,
      status,
      status_rank: rank,
      from_number: facts.from ?? null,
      to_number: facts.to ?? null,
      direction: facts.direction ?? null,
      started_at: facts.startedAt ?? null,
      ended_at: facts.endedAt ?? null,
      duration_seconds: facts.durationSeconds ?? null,
    })
    .onConflict((conflict) =>
      conflict.columns(['company_id', 'twilio_call_sid']).doUpdateSet({
        owner_user_id: sql`coalesce(calls.owner_user_id, excluded.owner_user_id)`,
        from_number: sql`coalesce(calls.from_number, excluded.from_number)`,
        to_number: sql`coalesce(calls.to_number, excluded.to_number)`,
        direction: sql`coalesce(calls.direction, excluded.direction)`,
        started_at: sql`coalesce(calls.started_at, excluded.started_at)`,
        ended_at: sql`coalesce(excluded.ended_at, calls.ended_at)`,
        duration_seconds: sql`coalesce(excluded.duration_seconds, calls.duration_seconds)`,
        status: sql`CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.status ELSE calls.status END`,
        status_rank: sql`greatest(calls.status_rank, excluded.status_rank)`,
        updated_at: sql`now()`,
      }),
    )
    .returning(['id', 'owner_user_id', 'from_number', 'to_number', 'direction'])
    .executeTakeFirstOrThrow();
  return { id: row.id, ownerUserId: row.owner_user_id, from: row.from_number, to: row.to_number, direction: row.direction };
}

/** The company (among candidates) that already holds this Twilio call, and its owner. */
export async function findTwilioCallOwner(tx: PlatformTx, callSid: string, companyIds: string[]): Promise<{ companyId: string; ownerUserId: string | null } | undefined> {
  if (companyIds.length === 0) return undefined;
  const row = await tx
    .selectFrom('calls')
    .select(['company_id', 'owner_user_id'])
    .where('twilio_call_sid', '=', callSid)
    .where('company_id', 'in', companyIds)
    .orderBy('created_at')
    .executeTakeFirst();
  return row ? { companyId: row.company_id, ownerUserId: row.owner_user_id } : undefined;
}

/** What the provider told us about a call's outcome (VAPI's report), for analytics. */
export async function getCallOutcome(tx: CompanyTx, callId: string) {
  return tx
    .selectFrom('calls')
    .select(['provider', 'ended_reason', 'cost', 'summary', 'success_evaluation'])
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', callId)
    .executeTakeFirst();
}
