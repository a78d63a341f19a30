import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createDb, withReadScope, type Db, type ReadScope, type ReadTx } from '@callvault/db';
import type { Config } from '@callvault/config';
import type { Logger } from '@callvault/logging';
import type { createRedis } from '@callvault/queue';
import { Counter, Gauge, type Registry } from 'prom-client';
import { deferAudits, writeDeferredAudits, type DeferredAudit } from './audit';
import type { Principal } from './principal';
import { isReadMethod } from './read-methods';
import { watchReplicaLag, type ReplicaLagWatch } from './replica-lag';

/**
 * A streaming replica (DATABASE_READ_URL) for the heavy, frequent reads: lists, search and stats.
 * Everything else (single items, which a client fetches right after changing them; the change
 * feed, whose hold-back reads the primary's open transactions; every write) stays on the primary.
 *
 * What a read on the replica may miss is bounded twice:
 * - every write through the gateway pins its company's reads (a superadmin's: their own) to the
 *   primary for DATABASE_READ_PIN_SECONDS, in Redis so every gateway replica honours it: after a
 *   deletion nobody in the company lists the deleted recording from a replica that has not
 *   replayed it. If Redis cannot say, the read goes to the primary;
 * - the replica is used only while its measured lag is under DATABASE_READ_MAX_LAG_SECONDS, which
 *   the configuration keeps below the pin: when a pin ends, the replica holds the write. Writes
 *   that do not pass through the gateway (a retention sweep, new calls) show on lists at most that
 *   many seconds late.
 * A read the replica fails (down, or a query cancelled by a recovery conflict) runs again on the
 * primary; readiness does not depend on the replica.
 *
 * Audit events are written before the answer as always, on the primary after the read: a replica
 * transaction cannot write.
 */
export interface ReplicaReads {
  db: Db;
  pinSeconds: number;
  maxLagSeconds: number;
  lag: ReplicaLagWatch;
  redis: ReturnType<typeof createRedis>;
  keyPrefix: string;
  served: Counter<'target'>;
  log: Logger;
  close(): Promise<void>;
}

export function createReplicaReads(input: {
  config: Config;
  primary: Db;
  redis: ReturnType<typeof createRedis>;
  registry: Registry;
  log: Logger;
}): ReplicaReads | undefined {
  const { config } = input;
  if (!config.DATABASE_READ_URL) return undefined;
  const db = createDb(config.DATABASE_READ_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-gateway-reads' });
  const lag = watchReplicaLag(input.primary, db);
  new Gauge({
    name: 'callvault_gateway_replica_lag_seconds',
    help: 'How far the read replica is behind the primary at most, as this gateway measures it; above DATABASE_READ_MAX_LAG_SECONDS reads leave it.',
    registers: [input.registry],
    collect() {
      this.set(Math.min(lag.lagSeconds(), 1e9));
    },
  });
  return {
    db,
    pinSeconds: config.DATABASE_READ_PIN_SECONDS,
    maxLagSeconds: config.DATABASE_READ_MAX_LAG_SECONDS,
    lag,
    redis: input.redis,
    keyPrefix: config.QUEUE_PREFIX,
    served: new Counter({
      name: 'callvault_gateway_replica_reads_total',
      help: 'Lists, searches and stats read from the replica (target=replica) or from the primary (target=primary: the company wrote within the pin, the replica lags or failed, or Redis could not tell).',
      labelNames: ['target'],
      registers: [input.registry],
    }),
    log: input.log,
    async close() {
      lag.stop();
      await db.destroy();
    },
  };
}

const pinKey = (replica: ReplicaReads, principal: Principal) =>
  `${replica.keyPrefix}:read-pin:${principal.kind === 'user' ? `company:${principal.user.company_id}` : `superadmin:${principal.id}`}`;

const pin = (replica: ReplicaReads, principal: Principal) =>
  replica.redis.set(pinKey(replica, principal), '1', 'EX', replica.pinSeconds).catch((error: unknown) => {
    replica.log.warn({ err: error }, 'could not pin a company to the primary after a write: its next reads may lag the write by the replica delay');
  });

/**
 * Pins a writer's company before its write runs (no answer to the write can reach anyone before
 * the pin is in place) and again when it is answered (a long write keeps its full pin after it).
 */
export function registerReadPinning(v1: FastifyInstance, replica: ReplicaReads | undefined): void {
  if (!replica) return;
  const isWrite = (request: FastifyRequest) => !isReadMethod(request.method) && Boolean(request.principal);
  v1.addHook('preHandler', async (request) => {
    if (isWrite(request)) await pin(replica, request.principal);
  });
  v1.addHook('onSend', async (request, _reply, payload) => {
    if (isWrite(request)) await pin(replica, request.principal);
    return payload;
  });
}

async function replicaUsable(replica: ReplicaReads, principal: Principal): Promise<boolean> {
  if (replica.lag.lagSeconds() > replica.maxLagSeconds) return false;
  try {
    return (await replica.redis.exists(pinKey(replica, principal))) === 0;
  } catch {
    return false;
  }
}

/** Our own 4xx answers (not found, forbidden) are the answer, wherever the read ran. */
const isAnswer = (error: unknown) => {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status < 500;
};

/** A read's result, and the audit events it kept for a transaction of their own. */
interface ReadWithAudits<T> {
  result: T;
  audits: DeferredAudit[];
}

/** The read in a read-only transaction on `db`, its audit events kept. */
async function readOnly<T>(db: Db, scope: ReadScope, work: (tx: ReadTx) => Promise<T>): Promise<ReadWithAudits<T>> {
  let audits: DeferredAudit[] = [];
  const result = await withReadScope(
    db,
    scope,
    (tx) => {
      audits = deferAudits(tx);
      return work(tx);
    },
    { readOnly: true },
  );
  return { result, audits };
}

/** The kept audit events, on the primary, before the answer. */
async function withAuditsWritten<T>(primary: Db, scope: ReadScope, read: ReadWithAudits<T>): Promise<T> {
  if (read.audits.length > 0) await withReadScope(primary, scope, (tx) => writeDeferredAudits(tx, read.audits));
  return read.result;
}

export interface ReplicaReadOptions {
  /**
   * The read leaves audit events for this caller: a search always (it shows transcript text), a
   * list or stats read a superadmin's (auditSuperadminList). The default: a superadmin's only.
   */
  audited?: boolean;
}

/**
 * A list, search or stats read: on the replica when it is usable for the caller, with its audit
 * events written on the primary before the answer; on the primary otherwise. On the primary, a
 * read that leaves no audit event runs read-only, so the answer does not wait for its COMMIT; an
 * audited one reads and writes its events in one read-write transaction (measured: writing them
 * in a second transaction cost a search about 1 ms more than the COMMIT it saved).
 */
export async function withReplicaRead<T>(
  deps: { db: Db; replicaReads?: ReplicaReads | undefined },
  request: FastifyRequest,
  scope: ReadScope,
  work: (tx: ReadTx) => Promise<T>,
  options: ReplicaReadOptions = {},
): Promise<T> {
  const onPrimary = () =>
    (options.audited ?? request.principal.kind === 'superadmin')
      ? withReadScope(deps.db, scope, work)
      : readOnly(deps.db, scope, work).then((read) => withAuditsWritten(deps.db, scope, read));
  const replica = deps.replicaReads;
  if (replica && (await replicaUsable(replica, request.principal))) {
    let read: ReadWithAudits<T>;
    try {
      read = await readOnly(replica.db, scope, work);
    } catch (error) {
      if (isAnswer(error)) throw error;
      replica.log.warn({ err: error }, 'a read failed on the replica: answered from the primary');
      replica.served.inc({ target: 'primary' });
      return onPrimary();
    }
    replica.served.inc({ target: 'replica' });
    return withAuditsWritten(deps.db, scope, read);
  }
  replica?.served.inc({ target: 'primary' });
  return onPrimary();
}
