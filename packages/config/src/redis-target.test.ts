import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config';
import { parseServiceConfig } from './load-service-config';
import { redisTargetFrom, redisVariables } from './redis-target';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('the Redis a process connects to', () => {
  it('is the local server when nothing is set, else the one server REDIS_URL names', () => {
    expect(redisTargetFrom(loadConfig({}))).toEqual({ kind: 'standalone', url: 'redis://127.0.0.1:6379' });
    expect(redisTargetFrom(loadConfig({ REDIS_URL: 'rediss://:pw@redis.internal:6380/2' }))).toEqual({
      kind: 'standalone',
      url: 'rediss://:pw@redis.internal:6380/2',
    });
  });

  it('is a cluster from its seed nodes, and a Sentinel group with the master named alone or by URL', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: ' rediss://:pw@node-1:6379, rediss://:pw@node-2:6379 ,' });
    expect(redisTargetFrom(cluster)).toEqual({ kind: 'cluster', nodes: ['rediss://:pw@node-1:6379', 'rediss://:pw@node-2:6379'] });
    const byName = loadConfig({ REDIS_SENTINELS: 'redis://s1:26379,redis://s2:26379', REDIS_SENTINEL_MASTER: 'mymaster' });
    expect(redisTargetFrom(byName)).toEqual({ kind: 'sentinel', sentinels: ['redis://s1:26379', 'redis://s2:26379'], master: 'redis://mymaster' });
    const byUrl = loadConfig({ REDIS_SENTINELS: 'redis://s1:26379', REDIS_SENTINEL_MASTER: 'rediss://:pw@mymaster/3' });
    expect(redisTargetFrom(byUrl)).toMatchObject({ master: 'rediss://:pw@mymaster/3' });
  });

  it('describes each target in the variables that choose it again', () => {
    for (const env of [
      { REDIS_URL: 'redis://127.0.0.1:7000' },
      { REDIS_CLUSTER_NODES: 'redis://a:1,redis://b:2' },
      { REDIS_SENTINELS: 'redis://s1:26379', REDIS_SENTINEL_MASTER: 'redis://mymaster' },
    ]) {
      expect(redisVariables(redisTargetFrom(loadConfig(env)))).toEqual(env);
    }
  });

  it('refuses two deployments at once, half a Sentinel setting and lists that disagree, with reasons', () => {
    expect(problemsOf({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'redis://b:6379' })).toEqual([
      'REDIS_URL, REDIS_CLUSTER_NODES: set only one (one server, a cluster, or Sentinels)',
    ]);
    expect(problemsOf({ REDIS_SENTINELS: 'redis://s1:26379' })).toEqual([expect.stringMatching(/^REDIS_SENTINEL_MASTER: required when REDIS_SENTINELS/)]);
    expect(problemsOf({ REDIS_SENTINEL_MASTER: 'mymaster' })).toEqual(['REDIS_SENTINELS: required when REDIS_SENTINEL_MASTER is set']);
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis://:a@n1:6379,redis://:b@n2:6379' })).toEqual([
      'REDIS_CLUSTER_NODES: every URL must use the same scheme, user and password',
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis://n1:6379/1' })).toEqual([expect.stringMatching(/^REDIS_CLUSTER_NODES: no database number/)]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'n1:6379' })).toEqual([expect.stringMatching(/^REDIS_CLUSTER_NODES\.0: /)]);
    expect(problemsOf({ REDIS_SENTINELS: 'redis://s1:26379', REDIS_SENTINEL_MASTER: 'redis://10.0.0.5:6379' })).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_MASTER: expected a master name, not host:port/),
    ]);
  });

  it('takes the cluster or the Sentinels as the Redis a production service must name, secrets from files included', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_APP_URL: 'postgres://callvault_app:pw@db.internal:5432/callvault',
      S3_ACCESS_KEY_ID: 'callvault',
      S3_SECRET_ACCESS_KEY: 'a-generated-secret',
    };
    expect(() => parseServiceConfig('analytics', production)).toThrow(/REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS: one is required/);
    expect(() => parseServiceConfig('analytics', { ...production, REDIS_CLUSTER_NODES: 'rediss://:pw@node-1:6379' })).not.toThrow();
    expect(() => parseServiceConfig('analytics', { ...production, REDIS_SENTINELS: 'redis://s1:26379', REDIS_SENTINEL_MASTER: 'mymaster' })).not.toThrow();
  });
});
