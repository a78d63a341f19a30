import { sql } from 'kysely';
import type { PlatformTx } from '../client';
import type { ScopedTx } from '../read-scope';
import { whereOwnCompany } from '../own-company';

/** Who a key belongs to: a company's user or API key (their company), or a superadmin (none). */
export interface IdempotencyOwner {
  companyId: string | null;
  /** `user:<id>`, `api_key:<id>` or `superadmin:<id>`: keys of different callers never meet. */
  principal: string;
}

export type IdempotencyClaim =
  | { outcome: 'claimed'; id: string }
  | { outcome: 'in_progress' }
  | { outcome: 'reused' }
  /** `body` as the gateway kept it (sealed), or empty. */
  | { outcome: 'completed'; id: string; status: number; contentType: string | null; body: string };

/** How long a request may hold its key before the key counts as abandoned (its process died). */
const ABANDONED_AFTER = sql`interval '5 minutes'`;

/**
 * Claims a key for a request, or tells what became of the earlier request with it. An expired row,
 * or one abandoned by a process that died mid-request, is taken over; the insert and the takeover
 * are one statement, so two concurrent requests never both claim.
 */
export async function claimIdempotencyKey(tx: ScopedTx, owner: IdempotencyOwner, key: string, requestHash: string): Promise<IdempotencyClaim> {
  const { rows: claimed } = await sql<{ id: string }>`
    INSERT INTO idempotency_keys (company_id, principal, key, request_hash)
    VALUES (${owner.companyId}::uuid, ${owner.principal}, ${key}, ${requestHash})
    ON CONFLICT (principal, key) DO UPDATE SET
      request_hash = excluded.request_hash, status = 'in_progress', response_status = NULL, response_content_type = NULL,
      response_body = NULL, created_at = now(), expires_at = now() + interval '24 hours'
    WHERE idempotency_keys.expires_at <= now() OR (idempotency_keys.status = 'in_progress' AND idempotency_keys.created_at < now() - ${ABANDONED_AFTER})
    RETURNING id`.execute(tx);
  if (claimed[0]) return { outcome: 'claimed', id: claimed[0].id };
  // A company's own keys only; a superadmin's platform transaction holds keys of no company.
  const earlier = await whereOwnCompany(
    tx
      .selectFrom('idempotency_keys')
      .select(['id', 'request_hash', 'status', 'response_status', 'response_content_type', 'response_body'])
      .where('principal', '=', owner.principal)
      .where('key', '=', key),
    tx,
  ).executeTakeFirstOrThrow();
  if (earlier.request_hash !== requestHash) return { outcome: 'reused' };
  if (earlier.status === 'in_progress' || earlier.response_status === null) return { outcome: 'in_progress' };
  return {
    outcome: 'completed',
    id: earlier.id,
    status: earlier.response_status,
    contentType: earlier.response_content_type,
    body: earlier.response_body ?? '',
  };
}

/** Keeps the answer of the request that claimed the key, for its repeats. */
export async function completeIdempotencyKey(tx: ScopedTx, id: string, response: { status: number; contentType: string | null; body: string }): Promise<void> {
  await whereOwnCompany(
    tx
      .updateTable('idempotency_keys')
      .set({ status: 'completed', response_status: response.status, response_content_type: response.contentType, response_body: response.body })
      .where('id', '=', id),
    tx,
  ).execute();
}

/** Frees a key whose request did not get an answer worth repeating (a server error): a retry runs again. */
export async function releaseIdempotencyKey(tx: ScopedTx, id: string): Promise<void> {
  await whereOwnCompany(tx.deleteFrom('idempotency_keys').where('id', '=', id).where('status', '=', 'in_progress'), tx).execute();
}

/** Deletes expired keys, a batch at a time; the number deleted. */
export async function deleteExpiredIdempotencyKeys(tx: PlatformTx, batchSize: number): Promise<number> {
  const result = await sql`
    DELETE FROM idempotency_keys WHERE id IN (
      SELECT id FROM idempotency_keys WHERE expires_at <= now() ORDER BY expires_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}
