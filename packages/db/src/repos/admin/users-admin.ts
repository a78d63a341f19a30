import type { CompanyTx } from '../../client';
import type { Role, User } from '../../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from '../keyset-page';

const ORDER = byTimestamp('users.created_at', 'users.id', 'asc');

export type UserRow = User & { sort_value: string | number | null };

export interface UserListRequest {
  role?: Role;
  disabled?: boolean;
  limit: number;
  after: SortPosition | null;
}

export interface UserFields {
  subject: string;
  email: string | null;
  name: string | null;
  role: Role;
  managerId: string | null;
  disabled: boolean;
}

/** The company's users, oldest first. */
export async function listCompanyUsersPage(tx: CompanyTx, request: UserListRequest): Promise<UserRow[]> {
  let query = tx.selectFrom('users').selectAll().select(sortValueOf(ORDER).as('sort_value')).where('users.company_id', '=', tx.scope.companyId);
  if (request.role) query = query.where('users.role', '=', request.role);
  if (request.disabled !== undefined) query = query.where('users.disabled', '=', request.disabled);
  return sortedPage(query, ORDER, request.after, request.limit);
}

export async function getCompanyUser(tx: CompanyTx, userId: string): Promise<User | undefined> {
  return tx.selectFrom('users').selectAll().where('company_id', '=', tx.scope.companyId).where('id', '=', userId).executeTakeFirst();
}

/** Locks the row so a concurrent change to the same user waits for this one. */
export async function lockCompanyUser(tx: CompanyTx, userId: string): Promise<User | undefined> {
  return tx.selectFrom('users').selectAll().where('company_id', '=', tx.scope.companyId).where('id', '=', userId).forUpdate().executeTakeFirst();
}

export async function insertCompanyUser(tx: CompanyTx, fields: UserFields): Promise<User> {
  return tx
    .insertInto('users')
    .values({
      company_id: tx.scope.companyId,
      subject: fields.subject,
      email: fields.email,
      name: fields.name,
      role: fields.role,
      manager_id: fields.managerId,
      disabled: fields.disabled,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCompanyUser(tx: CompanyTx, userId: string, patch: Partial<UserFields>): Promise<User | undefined> {
  return tx
    .updateTable('users')
    .set({
      ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.managerId !== undefined ? { manager_id: patch.managerId } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      updated_at: new Date(),
    })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** Whether any call or recording names this user as owner: such a user is disabled, never deleted. */
export async function userOwnsCallData(tx: CompanyTx, userId: string): Promise<boolean> {
  const companyId = tx.scope.companyId;
  const call = await tx.selectFrom('calls').select('id').where('company_id', '=', companyId).where('owner_user_id', '=', userId).limit(1).executeTakeFirst();
  if (call) return true;
  const recording = await tx
    .selectFrom('recordings')
    .select('id')
    .where('company_id', '=', companyId)
    .where('owner_user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return recording !== undefined;
}

/** Removes the user; the schema clears them as manager of others and as owner of phone numbers. */
export async function deleteCompanyUser(tx: CompanyTx, userId: string): Promise<boolean> {
  const result = await tx.deleteFrom('users').where('company_id', '=', tx.scope.companyId).where('id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
