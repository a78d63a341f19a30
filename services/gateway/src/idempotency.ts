import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'safe-stable-stringify';
import type { SecretBox } from '@callvault/crypto';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  withReadScope,
  type Db,
  type IdempotencyOwner,
  type ScopedTx,
} from '@callvault/db';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError, InvalidIdempotencyKeyError } from './errors';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key row this request claimed, to keep its answer in. */
    idempotencyClaim?: string;
  }
}

const KEY = /^[\x20-\x7e]{1,255}$/;

/** The caller a key belongs to: an API key is its own caller, apart from the user it acts as. */
export function idempotencyOwnerOf(principal: Principal): IdempotencyOwner {
  if (principal.kind === 'superadmin') return { companyId: null, principal: `superadmin:${principal.id}` };
  const caller = principal.apiKey ? `api_key:${principal.apiKey.id}` : `user:${principal.user.id}`;
  return { companyId: principal.user.company_id, principal: caller };
}

/** What makes two requests the same: method, URL (path and query) and the body, key order aside. */
export function requestHashOf(request: Pick<FastifyRequest, 'method' | 'url' | 'body'>): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${stringify(request.body ?? null)}`)
    .digest('base64url');
}

/** A company caller's keys live in its company's transaction (RLS); a superadmin's in the platform's, like its other requests. */
function inOwnerTx<T>(db: Db, owner: IdempotencyOwner, work: (tx: ScopedTx) => Promise<T>): Promise<T> {
  return withReadScope(db, owner.companyId ? { kind: 'company', companyId: owner.companyId, ownerUserIds: null } : { kind: 'platform', companyId: null }, work);
}

/** A kept answer is sealed to its own row: moved to another key, it no longer opens. */
const sealedFor = (claimId: string) => `idempotency-response:${claimId}`;

/**
 * `Idempotency-Key` on every POST of the scope it is registered in: the first request with a key
 * runs and its answer (any status below 500) is kept for 24 h; a repeat with the same method,
 * URL and body gets that answer again with `Idempotent-Replayed: true`; another request with the
 * key is 422; a repeat while the first still runs is 409 (retry after a second). A 5xx frees
 * the key, so a retry runs again. Runs after authentication and validation: a request refused
 * before it (401, 403, 400) claims nothing.
 *
 * Some answers carry a secret shown once (a new API key, a webhook signing secret), so kept
 * answers are sealed with SECRETS_KEY like provider credentials. Without SECRETS_KEY no answer is
 * kept: the key then only guards against a repeat while the first request runs.
 */
export function registerIdempotency(scope: FastifyInstance, db: Db, box: SecretBox | undefined): void {
  scope.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) throw new InvalidIdempotencyKeyError();
    const owner = idempotencyOwnerOf(request.principal);
    const claim = await inOwnerTx(db, owner, (tx) => claimIdempotencyKey(tx, owner, key, requestHashOf(request)));
    switch (claim.outcome) {
      case 'claimed':
        request.idempotencyClaim = claim.id;
        return;
      case 'reused':
        throw new IdempotencyKeyReusedError();
      case 'in_progress':
        reply.header('retry-after', '1');
        throw new IdempotencyKeyInProgressError();
      case 'completed':
        reply.code(claim.status).header('idempotent-replayed', 'true');
        if (claim.contentType) reply.type(claim.contentType);
        return reply.send(claim.body === '' ? '' : box!.open(claim.body, sealedFor(claim.id)));
    }
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    const id = request.idempotencyClaim;
    if (!id) return payload;
    request.idempotencyClaim = undefined;
    const owner = idempotencyOwnerOf(request.principal);
    const contentType = reply.getHeader('content-type');
    const keepable = box && reply.statusCode < 500 && (typeof payload === 'string' || payload === null || payload === undefined);
    await inOwnerTx(db, owner, (tx) =>
      keepable
        ? completeIdempotencyKey(tx, id, {
            status: reply.statusCode,
            contentType: typeof contentType === 'string' ? contentType : null,
            body: payload ? box.seal(payload, sealedFor(id)) : '',
          })
        : releaseIdempotencyKey(tx, id),
    );
    return payload;
  });
}
