import type { CompanyTx } from '../../client';
import type { PhoneNumber } from '../../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from '../keyset-page';

const ORDER = byTimestamp('phone_numbers.created_at', 'phone_numbers.id', 'asc');

export type PhoneNumberRow = PhoneNumber & { sort_value: string | number | null };

export interface PhoneNumberFields {
  e164: string;
  matchOn: 'from' | 'to';
  ownerUserId: string | null;
  vapiAssistantId: string | null;
  label: string | null;
}

export async function listCompanyPhoneNumbersPage(
  tx: CompanyTx,
  request: { matchOn?: 'from' | 'to'; ownerUserId?: string; limit: number; after: SortPosition | null },
): Promise<PhoneNumberRow[]> {
  let query = tx.selectFrom('phone_numbers').selectAll().select(sortValueOf(ORDER).as('sort_value')).where('phone_numbers.company_id', '=', tx.scope.companyId);
  if (request.matchOn) query = query.where('phone_numbers.match_on', '=', request.matchOn);
  if (request.ownerUserId) query = query.where('phone_numbers.owner_user_id', '=', request.ownerUserId);
  return sortedPage(query, ORDER, request.after, request.limit);
}

export async function getCompanyPhoneNumber(tx: CompanyTx, id: string): Promise<PhoneNumber | undefined> {
  return tx.selectFrom('phone_numbers').selectAll().where('company_id', '=', tx.scope.companyId).where('id', '=', id).executeTakeFirst();
}

export async function updateCompanyPhoneNumber(tx: CompanyTx, id: string, patch: Partial<PhoneNumberFields>): Promise<PhoneNumber | undefined> {
  return tx
    .updateTable('phone_numbers')
    .set({
      ...(patch.e164 !== undefined ? { e164: patch.e164 } : {}),
      ...(patch.matchOn !== undefined ? { match_on: patch.matchOn } : {}),
      ...(patch.ownerUserId !== undefined ? { owner_user_id: patch.ownerUserId } : {}),
      ...(patch.vapiAssistantId !== undefined ? { vapi_assistant_id: patch.vapiAssistantId } : {}),
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      updated_at: new Date(),
    })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCompanyPhoneNumber(tx: CompanyTx, id: string): Promise<PhoneNumber | undefined> {
  return tx.deleteFrom('phone_numbers').where('company_id', '=', tx.scope.companyId).where('id', '=', id).returningAll().executeTakeFirst();
}

export interface NumberImportResult {
  imported: number;
  alreadyRegistered: number;
  /** Numbers another company has registered for the same match: counted, never named. */
  conflicts: number;
}

/**
 * Registers numbers as `matchOn: 'to'` for this company where nobody has them yet. The unique
 * (e164, match_on) index arbitrates across companies even though RLS hides the other rows.
 */
export async function importCompanyNumbers(tx: CompanyTx, numbers: Array<{ e164: string; label: string | null }>): Promise<NumberImportResult> {
  const unique = [...new Map(numbers.map((number) => [number.e164, number])).values()];
  if (unique.length === 0) return { imported: 0, alreadyRegistered: 0, conflicts: 0 };
  const companyId = tx.scope.companyId;
  const inserted = await tx
    .insertInto('phone_numbers')
    .values(unique.map((number) => ({ company_id: companyId, e164: number.e164, match_on: 'to' as const, label: number.label })))
    .onConflict((conflict) => conflict.columns(['e164', 'match_on']).doNothing())
    .returning('e164')
    .execute();
  const insertedSet = new Set(inserted.map((row) => row.e164));
  const skipped = unique.map((number) => number.e164).filter((e164) => !insertedSet.has(e164));
  const own =
    skipped.length === 0
      ? []
      : await tx
          .selectFrom('phone_numbers')
          .select('e164')
          .where('company_id', '=', companyId)
          .where('match_on', '=', 'to')
          .where('e164', 'in', skipped)
          .execute();
  return { imported: inserted.length, alreadyRegistered: own.length, conflicts: skipped.length - own.length };
}
