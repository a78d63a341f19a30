import type { RedisTarget } from '@callvault/config';
import { Cluster, type Redis } from 'ioredis';
import { createRedis, whenReady } from './connection';

/**
 * Deletes every key under `prefix:` in bounded batches, on a connection of its own: how tests,
 * benchmarks and drills leave Redis as they found it after working under a random queue prefix.
 * On a cluster each master is scanned for the keys it holds. Returns how many keys it deleted.
 */
export async function deleteQueueKeys(target: RedisTarget, prefix: string): Promise<number> {
  const client = createRedis(target, 'producer');
  try {
    await whenReady(client);
    const servers = client instanceof Cluster ? client.nodes('master') : [client];
    const counts = await Promise.all(servers.map((server) => deleteOnServer(server, `${prefix}:*`)));
    return counts.reduce((sum, count) => sum + count, 0);
  } finally {
    client.disconnect();
  }
}

async function deleteOnServer(server: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    // One key per command: a cluster refuses a DEL whose keys hash to different slots.
    if (keys.length > 0) {
      const pipeline = server.pipeline();
      for (const key of keys) pipeline.unlink(key);
      const results = (await pipeline.exec()) ?? [];
      for (const [error, count] of results) if (!error) deleted += Number(count);
    }
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
