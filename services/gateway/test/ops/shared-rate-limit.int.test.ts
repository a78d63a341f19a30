import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys } from '@callvault/queue';
import { createTestEnvironment, seedCompany, seedUser, startPrivateRedis, tokenFor, type PrivateRedis, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';

/**
 * Replicas behind a load balancer: two gateway instances, each with its own connections and
 * plugin state, count one caller against one budget in Redis. And when that Redis is away, the
 * API keeps answering (unlimited) and says so in a metric.
 */
const LIMIT = 20;
let env: TestEnvironment;
let replicas: FastifyInstance[] = [];

const gateway = (config: TestEnvironment['config']) => buildApp(composeGateway({ config, db: env.db, storage: env.storage, log: env.log }));
const me = (app: FastifyInstance, token: string) => app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  env = await createTestEnvironment({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  replicas = [await gateway(env.config), await gateway(env.config)];
});

afterAll(async () => {
  for (const app of replicas) await app.close();
  if (env) await deleteQueueKeys(env.redis, env.config.QUEUE_PREFIX);
  await env?.close();
});

describe('the /v1 rate limit across gateway replicas', () => {
  it('is one budget per caller however the requests are spread over the replicas', async () => {
    const company = await seedCompany(env);
    const agent = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
    const colleague = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
    const [first, second] = replicas as [FastifyInstance, FastifyInstance];

    const answers = await Promise.all(Array.from({ length: LIMIT }, (_, i) => me(i % 2 === 0 ? first : second, agent)));
    expect(answers.map((response) => response.statusCode)).toEqual(Array(LIMIT).fill(200));
    // Each replica has seen only half the limit: a per-process count would still let these through.
    for (const app of replicas) {
      const limited = await me(app, agent);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('rate_limited');
      expect(limited.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await me(second, colleague)).statusCode).toBe(200);
  });

  it('lets requests through while its Redis is unreachable, counted in callvault_rate_limit_store_errors_total', async () => {
    let redis: PrivateRedis | undefined;
    let app: FastifyInstance | undefined;
    try {
      redis = await startPrivateRedis();
      app = await gateway({ ...env.config, REDIS_URL: redis.url });
      const company = await seedCompany(env);
      const agent = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
      expect((await me(app, agent)).statusCode).toBe(200);
      await redis.stop();
      const answers = await Promise.all(Array.from({ length: LIMIT + 5 }, () => me(app!, agent)));
      expect(answers.map((response) => response.statusCode)).toEqual(Array(LIMIT + 5).fill(200));
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const errors = metrics.split('\n').find((line) => line.startsWith('callvault_rate_limit_store_errors_total{'));
      expect(Number(errors?.slice(errors.lastIndexOf(' ') + 1))).toBe(LIMIT + 5);
    } finally {
      await app?.close();
      await redis?.close();
    }
  });
});
