import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '@callvault/config';

/** A connection to one server, a Sentinel-managed master, or a Redis Cluster: BullMQ and the rate-limit store take each. */
export type RedisClient = Redis | Cluster;

type Role = 'worker' | 'producer';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on worker connections (blocking commands).
 * Producers fail fast instead, so a webhook reply is never held hostage by a Redis outage.
 */
const ROLE_OPTIONS: Record<Role, RedisOptions> = {
  worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000 },
};

/** The credentials, TLS and database a URL carries, as ioredis options. */
function serverOptions(url: URL): RedisOptions {
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

const address = (url: URL, defaultPort: number) => ({ host: url.hostname, port: url.port ? Number(url.port) : defaultPort });

/** The one place a Redis client is built: every process, test harness, bench and drill comes through here. */
export function createRedis(target: RedisTarget, role: Role): RedisClient {
  const client = connect(target, role);
  // Connection errors are retried by ioredis and reported through readiness, not by crashing.
  client.on('error', () => undefined);
  return client;
}

function connect(target: RedisTarget, role: Role): RedisClient {
  const options = ROLE_OPTIONS[role];
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, { ...options, lazyConnect: false });
    case 'sentinel': {
      const master = new URL(target.master);
      const sentinels = target.sentinels.map((entry) => new URL(entry));
      const sentinelAuth = serverOptions(sentinels[0]!);
      const masterAuth = serverOptions(master);
      return new Redis({
        ...options,
        ...masterAuth,
        name: master.hostname,
        db: Number(master.pathname.slice(1) || 0),
        sentinels: sentinels.map((entry) => address(entry, 26379)),
        sentinelUsername: sentinelAuth.username,
        sentinelPassword: sentinelAuth.password,
        ...(sentinelAuth.tls ? { sentinelTLS: sentinelAuth.tls } : {}),
        ...(masterAuth.tls ? { enableTLSForSentinelMode: true } : {}),
        // Subscribes to the Sentinels' +switch-master: a promoted replica is used at once, not after a timeout.
        failoverDetector: true,
      });
    }
    case 'cluster': {
      const nodes = target.nodes.map((entry) => new URL(entry));
      const { enableOfflineQueue, ...nodeOptions } = options;
      const auth = serverOptions(nodes[0]!);
      return new Cluster(
        nodes.map((entry) => address(entry, 6379)),
        {
          redisOptions: { ...nodeOptions, ...auth },
          ...(enableOfflineQueue === false ? { enableOfflineQueue: false } : {}),
          // Nodes announce themselves by IP: TLS then verifies against the name the node was reached by.
          ...(auth.tls ? { dnsLookup: (host, callback) => callback(null, host) } : {}),
        },
      );
    }
  }
}

/**
 * BullMQ's keys of one queue are used together by its Lua scripts, so on a cluster they must share
 * a hash slot: the queue name becomes the hash tag (`callvault:{recording-fetch}:recording-fetch:wait`),
 * which also spreads the queues over the masters. One server or a Sentinel master keeps the
 * plain layout, so an existing deployment's jobs stay where they are.
 */
export function queuePrefixFor(connection: RedisClient, prefix: string, queue: string): string {
  return connection.isCluster ? `${prefix}:{${queue}}` : prefix;
}

/** Resolves once the client can take commands (a producer's refuses them while it connects). */
export async function whenReady(client: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready within ${timeoutMs} ms (status ${client.status})`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
