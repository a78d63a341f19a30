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

/** What any provider may tell about a call; each event carries some of it. */
export interface CallFacts {
  ownerUserId: string | null;
  status?: string;
  from?: string | null;
  to?: string | null;
  direction?: string | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
}

export interface TwilioCallFacts extends CallFacts {
  accountSid: string;
  callSid: string;
  durationSeconds?: number | null;
}

export interface CallSummary {
  id: string;
  ownerUserId: string | null;
  from: string | null;
  to: string | null;
  direction: string | null;
}

/** The columns of `calls` a CallSummary is read from. */
export const CALL_SUMMARY_COLUMNS = ['id', 'owner_user_id', 'from_number', 'to_number', 'direction'] as const;

export function callSummaryOf(row: {
  id: string;
  owner_user_id: string | null;
  from_number: string | null;
  to_number: string | null;
  direction: string | null;
}): CallSummary {
  return { id: row.id, ownerUserId: row.owner_user_id, from: row.from_number, to: row.to_number, direction: row.direction };
}

/**
 * Creates the call from whichever event arrives first and fills in what later events add.
 * Facts already known are kept (coalesce); the status only advances.
 */
export async function upsertTwilioCall(tx: CompanyTx, facts: TwilioCallFacts): Promise<CallSummary> {
  const [call] = await upsertTwilioCalls(tx, [facts]);
  return call!;
}

/**
 * `upsertTwilioCall` for many calls in one statement, results in input order. Each call at most
 * once (a statement may touch a row once); rows are written in call order, so concurrent
 * batches lock calls in one order.
 */
export async function upsertTwilioCalls(tx: CompanyTx, items: TwilioCallFacts[]): Promise<CallSummary[]> {
  if (items.length === 0) return [];
  const column = <T>(pick: (item: TwilioCallFacts) => T) => items.map(pick);
  const { rows } = await sql<{
    id: string;
    twilio_call_sid: string;
    owner_user_id: string | null;
    from_number: string | null;
    to_number: string | null;
    direction: string | null;
  }>`
    INSERT INTO calls (company_id, provider, twilio_account_sid, twilio_call_sid, owner_user_id, status, status_rank, from_number, to_number, direction, started_at, ended_at, duration_seconds)
    SELECT ${tx.scope.companyId}::uuid, 'twilio', account_sid, call_sid, owner_user_id, status, status_rank, from_number, to_number, direction, started_at, ended_at, duration_seconds
    FROM unnest(
      ${column((item) => item.accountSid)}::text[], ${column((item) => item.callSid)}::text[], ${column((item) => item.ownerUserId)}::uuid[],
      ${column((item) => item.status ?? 'unknown')}::text[], ${column((item) => TWILIO_CALL_STATUS_RANK[item.status ?? 'unknown'] ?? 0)}::int[],
      ${column((item) => item.from ?? null)}::text[], ${column((item) => item.to ?? null)}::text[], ${column((item) => item.direction ?? null)}::text[],
      ${column((item) => item.startedAt ?? null)}::timestamptz[], ${column((item) => item.endedAt ?? null)}::timestamptz[], ${column((item) => item.durationSeconds ?? null)}::int[]
    ) AS input(account_sid, call_sid, owner_user_id, status, status_rank, from_number, to_number, direction, started_at, ended_at, duration_seconds)
    ORDER BY call_sid
    ON CONFLICT (company_id, twilio_call_sid) DO UPDATE SET
      owner_user_id = coalesce(calls.owner_user_id, excluded.owner_user_id),
      from_number = coalesce(calls.from_number, excluded.from_number),
      to_number = coalesce(calls.to_number, excluded.to_number),
      direction = coalesce(calls.direction, excluded.direction),
      started_at = coalesce(calls.started_at, excluded.started_at),
      -- An event at least as far along may correct the end; an earlier one only fills a gap.
      ended_at = CASE WHEN excluded.status_rank >= calls.status_rank THEN coalesce(excluded.ended_at, calls.ended_at) ELSE coalesce(calls.ended_at, excluded.ended_at) END,
      duration_seconds = CASE WHEN excluded.status_rank >= calls.status_rank THEN coalesce(excluded.duration_seconds, calls.duration_seconds) ELSE coalesce(calls.duration_seconds, excluded.duration_seconds) END,
      status = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.status ELSE calls.status END,
      status_rank = greatest(calls.status_rank, excluded.status_rank),
      updated_at = now()
    RETURNING id, twilio_call_sid, owner_user_id, from_number, to_number, direction`.execute(tx);
  const byCallSid = new Map(rows.map((row) => [row.twilio_call_sid, row]));
  return items.map((item) => {
    const row = byCallSid.get(item.callSid);
    if (!row) throw new Error(`call ${item.callSid} was not written`);
    return callSummaryOf(row);
  });
}

/**
 * The company (among candidates) that already holds this provider call, and its owner: the first
 * to have it when several do (an account shared by companies), for Twilio and VAPI alike.
 */
export async function findCallOwner(
  tx: PlatformTx,
  provider: 'twilio' | 'vapi',
  callRef: string,
  companyIds: string[],
): Promise<{ companyId: string; ownerUserId: string | null } | undefined> {
  if (companyIds.length === 0) return undefined;
  const row = await tx
    .selectFrom('calls')
    .select(['company_id', 'owner_user_id'])
    .where(provider === 'twilio' ? 'twilio_call_sid' : 'vapi_call_id', '=', callRef)
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
