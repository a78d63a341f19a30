import type { RawConfig } from './schema';

/**
 * Where the queues and shared counters live: one server, a Redis Cluster, or a master that
 * Sentinels watch and replace. Every address is a URL that carries the credentials and TLS
 * (`rediss://`) of the server it names; a Sentinel master is named by the host of its URL.
 */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: string[] }
  | { kind: 'sentinel'; sentinels: string[]; master: string };

const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** The variables that each choose a deployment: an operator sets one of them. */
export const REDIS_TARGET_KEYS = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

type RedisSettings = Pick<RawConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_MASTER'>;

/** Every process builds its Redis clients from this (packages/queue `createRedis`). */
export function redisTargetFrom(config: RedisSettings): RedisTarget {
  if (config.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: config.REDIS_CLUSTER_NODES };
  if (config.REDIS_SENTINELS && config.REDIS_SENTINEL_MASTER)
    return { kind: 'sentinel', sentinels: config.REDIS_SENTINELS, master: config.REDIS_SENTINEL_MASTER };
  return { kind: 'standalone', url: config.REDIS_URL ?? LOCAL_REDIS_URL };
}

/** The environment that describes `target`, for harnesses that start service processes. */
export function redisVariables(target: RedisTarget): Record<string, string> {
  switch (target.kind) {
    case 'standalone':
      return { REDIS_URL: target.url };
    case 'cluster':
      return { REDIS_CLUSTER_NODES: target.nodes.join(',') };
    case 'sentinel':
      return { REDIS_SENTINELS: target.sentinels.join(','), REDIS_SENTINEL_MASTER: target.master };
  }
}

/** Two deployments named at once, or half a Sentinel setting, is a mistake to report, not to guess. */
export function redisProblems(config: RedisSettings): string[] {
  const chosen = REDIS_TARGET_KEYS.filter((key) => config[key] !== undefined);
  const problems: string[] = [];
  if (chosen.length > 1) problems.push(`${chosen.join(', ')}: set only one (one server, a cluster, or Sentinels)`);
  if (config.REDIS_SENTINELS && !config.REDIS_SENTINEL_MASTER)
    problems.push('REDIS_SENTINEL_MASTER: required when REDIS_SENTINELS is set (the name the Sentinels monitor the master by)');
  if (config.REDIS_SENTINEL_MASTER && !config.REDIS_SENTINELS) problems.push('REDIS_SENTINELS: required when REDIS_SENTINEL_MASTER is set');
  return problems;
}
