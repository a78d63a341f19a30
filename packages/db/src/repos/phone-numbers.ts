import type { CompanyTx, PlatformTx } from '../client';
import type { PhoneNumber } from '../schema';

export async function createPhoneNumber(
  tx: CompanyTx,
  input: { e164: string; matchOn: 'from' | 'to'; ownerUserId?: string | null; vapiAssistantId?: string | null; label?: string | null },
): Promise<PhoneNumber> {
  return tx
    .insertInto('phone_numbers')
    .values({
      company_id: tx.scope.companyId,
      e164: input.e164,
      match_on: input.matchOn,
      owner_user_id: input.ownerUserId ?? null,
      vapi_assistant_id: input.vapiAssistantId ?? null,
      label: input.label ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Registry matches for a call's numbers, across companies (each number+matchOn has one owner at most). */
export async function findNumberMatches(tx: PlatformTx, numbers: { from: string | null; to: string | null }): Promise<PhoneNumber[]> {
  const candidates: Array<[string, 'from' | 'to']> = [];
  if (numbers.from) candidates.push([numbers.from, 'from']);
  if (numbers.to) candidates.push([numbers.to, 'to']);
  if (candidates.length === 0) return [];
  return tx
    .selectFrom('phone_numbers')
    .selectAll()
    .where((eb) => eb.or(candidates.map(([e164, matchOn]) => eb.and([eb('e164', '=', e164), eb('match_on', '=', matchOn)]))))
    .execute();
}
