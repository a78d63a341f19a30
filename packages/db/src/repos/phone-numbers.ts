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

/**
 * Registry entries for a call's numbers among the companies that may own it (each
 * number+matchOn has one owner at most). Ingest's tenant lookup, before the company is known.
 */
export async function findNumberMatches(
  tx: PlatformTx,
  lookups: ReadonlyArray<{ e164: string; matchOn: 'from' | 'to' }>,
  companyIds: readonly string[],
): Promise<PhoneNumber[]> {
  if (lookups.length === 0 || companyIds.length === 0) return [];
  return tx
    .selectFrom('phone_numbers')
    .selectAll()
    .where('company_id', 'in', companyIds)
    .where((eb) => eb.or(lookups.map(({ e164, matchOn }) => eb.and([eb('e164', '=', e164), eb('match_on', '=', matchOn)]))))
    .execute();
}
