import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createDb, pingDb, withReadScope, type Db, type ReadScope, type ScopedTx } from '@callvault/db';
import type { Config } from '@callvault/config';
import type { Logger } from '@callvault/logging';
import type { createRedis } from '@callvault/queue';
import { Counter, type Registry } from 'prom-client';
import { deferAudits, writeDeferredAudits } from './audit';
import type { Principal } from './principal';
import { isReadMethod } from './read-methods';

/**
 * A streaming replica (DATABASE_READ_URL) for the heavy, frequent reads: lists, search and stats.
 * Everything else (single items, which a client fetches right after changing them; the change
 * feed, whose hold-back reads the primary's open transactions; every write) stays on the primary.
 *
 * Read-your-writes: every write of a caller pins its reads to the primary for
 * DATABASE_READ_PIN_SECONDS, in Redis so that every gateway replica honours it. If Redis cannot
 * say whether a caller is pinned, the read goes to the primary. A replica lagging by more than the
 * pin shows a caller its older state; `pg_stat_replication.replay_lag` is the figure to watch.
 *
 * Audit events are written before the answer as always, on the primary after the read: a replica
 * transaction cannot write.
 */
export interface ReplicaReads {
  db: Db;
  pinSeconds: number;
  redis: ReturnType<typeof createRedis>;
  keyPrefix: string;
  served: Counter<'target'>;
  log: Logger;
}

export function createReplicaReads(input: {
  config: Config;
  redis: ReturnType<typeof createRedis>;
  registry: Registry;
  log: Logger;
}): ReplicaReads | undefined {
  const { config } = input;
  if (!config.DATABASE_READ_URL) return undefined;
  return {
    db: createDb(config.DATABASE_READ_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-gateway-reads' }),
    pinSeconds: config.DATABASE_READ_PIN_SECONDS,
    redis: input.redis,
    keyPrefix: config.QUEUE_PREFIX,
    served: new Counter({
      name: 'callvault_gateway_replica_reads_total',
      help: 'Lists, searches and stats read from the replica (target=replica) or, for a caller who just wrote or when Redis could not tell, from the primary (target=primary).',
      labelNames: ['target'],
      registers: [input.registry],
    }),
    log: input.log,
  };
}

export const pingReplica = (replica: ReplicaReads) => pingDb(replica.db);

const pinKey = (replica: ReplicaReads, principal: Principal) =>
  `${replica.keyPrefix}:read-pin:${principal.kind === 'user' ? `user:${principal.user.id}` : `superadmin:${principal.id}`}`;

/**
 * Pins a writer's reads to the primary before its write runs, so no answer to the write can reach
 * the caller before the pin is in place.
 */
export function registerReadPinning(v1: FastifyInstance, replica: ReplicaReads | undefined): void {
  if (!replica || replica.pinSeconds === 0) return;
  v1.addHook('preHandler', async (request) => {
    if (isReadMethod(request.method) || !request.principal) return;
    await replica.redis.set(pinKey(replica, request.principal), '1', 'EX', replica.pinSeconds).catch((error: unknown) => {
      replica.log.warn({ err: error }, 'could not pin a writer to the primary: its next reads may lag its write by the replica delay');
    });
  });
}

async function pinnedToPrimary(replica: ReplicaReads, principal: Principal): Promise<boolean> {
  if (replica.pinSeconds === 0) return false;
  try {
    return (await replica.redis.exists(pinKey(replica, principal))) === 1;
  } catch {
    return true;
  }
}

/**
 * A list, search or stats read: on the replica unless the caller wrote within the pin, with its
 * audit events written on the primary before the answer.
 */
export async function withReplicaRead<T>(
  deps: { db: Db; replicaReads?: ReplicaReads | undefined },
  request: FastifyRequest,
  scope: ReadScope,
  work: (tx: ScopedTx) => Promise<T>,
): Promise<T> {
  const replica = deps.replicaReads;
  if (!replica || (await pinnedToPrimary(replica, request.principal))) {
    replica?.served.inc({ target: 'primary' });
    return withReadScope(deps.db, scope, work);
  }
  let deferred: ReturnType<typeof deferAudits> = [];
  const result = await withReadScope(replica.db, scope, (tx) => {
    deferred = deferAudits(tx);
    return work(tx);
  });
  if (deferred.length > 0) await withReadScope(deps.db, scope, (tx) => writeDeferredAudits(tx, deferred));
  replica.served.inc({ target: 'replica' });
  return result;
}
