import { sql } from 'kysely';
import type { CompanyTx, PlatformTx } from '../client';
import type { ApiKey, User } from '../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from './keyset-page';

export interface NewApiKey {
  userId: string;
  name: string;
  role: ApiKey['role'];
  readOnly: boolean;
  tokenHash: string;
  tokenPrefix: string;
  expiresAt: Date | null;
  createdByUserId: string | null;
}

export type ApiKeyRow = ApiKey & { sort_value: string | number | null };

const ORDER = byTimestamp('api_keys.created_at', 'api_keys.id', 'asc');

export async function insertApiKey(tx: CompanyTx, key: NewApiKey): Promise<ApiKey> {
  return tx
    .insertInto('api_keys')
    .values({
      company_id: tx.scope.companyId,
      user_id: key.userId,
      name: key.name,
      role: key.role,
      read_only: key.readOnly,
      token_hash: key.tokenHash,
      token_prefix: key.tokenPrefix,
      expires_at: key.expiresAt,
      created_by_user_id: key.createdByUserId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The company's keys, oldest first, revoked ones included (lists say which). */
export async function listApiKeysPage(tx: CompanyTx, page: { limit: number; after: SortPosition | null }): Promise<ApiKeyRow[]> {
  const query = tx.selectFrom('api_keys').selectAll().select(sortValueOf(ORDER).as('sort_value')).where('api_keys.company_id', '=', tx.scope.companyId);
  return sortedPage(query, ORDER, page.after, page.limit);
}

export async function getApiKey(tx: CompanyTx, id: string): Promise<ApiKey | undefined> {
  return tx.selectFrom('api_keys').selectAll().where('company_id', '=', tx.scope.companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function revokeApiKey(tx: CompanyTx, id: string): Promise<ApiKey | undefined> {
  return tx
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The old key of a rotation: it works until `endsAt` (or its own earlier expiry) and names its successor. */
export async function endRotatedApiKey(tx: CompanyTx, id: string, successorId: string, endsAt: Date): Promise<void> {
  await tx
    .updateTable('api_keys')
    .set({ rotated_to: successorId, expires_at: sql<Date>`least(coalesce(expires_at, ${endsAt}), ${endsAt})` })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', id)
    .execute();
}

/**
 * The key with this hash and the user it acts as, whatever the company: authentication runs
 * before any company is known. Revoked and expired keys are returned too, so the caller can say
 * which (401 either way).
 */
export async function findApiKeyByHash(tx: PlatformTx, tokenHash: string): Promise<{ key: ApiKey; user: User } | undefined> {
  const key = await tx.selectFrom('api_keys').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!key) return undefined;
  const user = await tx.selectFrom('users').selectAll().where('company_id', '=', key.company_id).where('id', '=', key.user_id).executeTakeFirst();
  return user ? { key, user } : undefined;
}

/** At most one write a minute per key: the last-used time is for people, not an access log (the audit trail is). */
export async function touchApiKey(tx: PlatformTx, id: string): Promise<void> {
  await tx
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}
