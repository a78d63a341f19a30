import { Cluster, type Redis } from 'ioredis';
import { queuePrefixFor, type RedisClient } from './connection';

/** How long an enqueue waits for a replica to hold what the master acknowledged. */
const REPLICA_ACK_MS = 500;
/** After a master had no replica answer in time, how long enqueues go on without asking it. */
const NO_REPLICA_BACKOFF_MS = 5_000;

/**
 * Redis replicates asynchronously: a master that dies just after acknowledging an add can take
 * the job with it, while the outbox row that held the job is already deleted. Where replicas exist
 * by design (a Sentinel master, a cluster), an enqueue returns once one replica holds the queue's
 * writes (WAIT on the connection that made them), or after a short bound. A master with no replica
 * right now (after a failover, until the old master returns as its replica) has none to fail over
 * to either: it is asked again only every few seconds, so the queues keep their pace. One server
 * has no replica to wait for.
 */
export function replicaAck(connection: RedisClient, prefix: string): (queue: string) => Promise<void> {
  const quietUntil = new Map<string, number>();
  const ack = async (server: Redis) => {
    const key = `${server.options.host}:${server.options.port}`;
    if ((quietUntil.get(key) ?? 0) > Date.now()) return;
    if ((await server.wait(1, REPLICA_ACK_MS)) === 0) quietUntil.set(key, Date.now() + NO_REPLICA_BACKOFF_MS);
  };
  if (connection instanceof Cluster) {
    const slots = new Map<string, number>();
    return async (queue) => {
      let slot = slots.get(queue);
      if (slot === undefined) {
        slot = Number(await connection.cluster('KEYSLOT', queuePrefixFor(connection, prefix, queue)));
        slots.set(queue, slot);
      }
      const owner = connection.slots[slot]?.[0];
      const master = connection.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owner);
      if (master) await ack(master);
    };
  }
  if (connection.options.sentinels?.length) return () => ack(connection);
  return async () => undefined;
}
