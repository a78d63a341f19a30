import type { CompanyTx, PlatformTx } from '../client';
import type { Role, User } from '../schema';

export interface NewUserInput {
  subject: string;
  email?: string | null;
  name?: string | null;
  role: Role;
  managerId?: string | null;
}

export async function createUser(tx: CompanyTx, input: NewUserInput): Promise<User> {
  return tx
    .insertInto('users')
    .values({
      company_id: tx.scope.companyId,
      subject: input.subject,
      email: input.email ?? null,
      name: input.name ?? null,
      role: input.role,
      manager_id: input.managerId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createPlatformAdmin(tx: PlatformTx, input: { subject: string; email?: string | null; name?: string | null }) {
  return tx
    .insertInto('platform_admins')
    .values({ subject: input.subject, email: input.email ?? null, name: input.name ?? null })
    .onConflict((conflict) => conflict.column('subject').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export type PrincipalRecord =
  | { kind: 'superadmin'; id: string; subject: string; disabled: boolean; email: string | null; name: string | null }
  | { kind: 'user'; user: User };

/** Who a token's `sub` is. Looked up across companies: the token does not tell us the company. */
export async function findPrincipalBySubject(tx: PlatformTx, subject: string): Promise<PrincipalRecord | undefined> {
  const admin = await tx.selectFrom('platform_admins').selectAll().where('subject', '=', subject).executeTakeFirst();
  if (admin) return { kind: 'superadmin', id: admin.id, subject: admin.subject, disabled: admin.disabled, email: admin.email, name: admin.name };
  const user = await tx.selectFrom('users').selectAll().where('subject', '=', subject).executeTakeFirst();
  return user ? { kind: 'user', user } : undefined;
}

export async function listDirectReportIds(tx: CompanyTx, managerId: string): Promise<string[]> {
  const rows = await tx.selectFrom('users').select('id').where('company_id', '=', tx.scope.companyId).where('manager_id', '=', managerId).execute();
  return rows.map((row) => row.id);
}

/** A user the scope may act for (agent: self; manager: self + reports; admin: company; superadmin: any). */
export async function findUserInScope(
  tx: import('../read-scope').ScopedTx,
  scope: import('../read-scope').ReadScope,
  userId: string,
): Promise<User | undefined> {
  let query = tx.selectFrom('users').selectAll().where('id', '=', userId);
  if (scope.companyId) query = query.where('company_id', '=', scope.companyId);
  if (scope.kind === 'company' && scope.ownerUserIds !== null) {
    if (!scope.ownerUserIds.includes(userId)) return undefined;
  }
  return query.executeTakeFirst();
}
