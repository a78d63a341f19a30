import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, deleteQueueKeys } from '@callvault/queue';
import {
  createTestEnvironment,
  seedCompany,
  seedUser,
  startPrivateRedis,
  tokenFor,
  waitFor,
  type PrivateRedis,
  type TestEnvironment,
} from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';

/**
 * Replicas behind a load balancer: two gateway instances, each with its own connections and
 * plugin state, count one caller against one budget in Redis. A caller well within the budget
 * does not wait for the count; near the limit every request does. And when that Redis is away,
 * the API keeps answering (unlimited) and says so in a metric.
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

  it('holds across replicas for bursts: a replica answers at most one request a window on its own count beyond the limit', async () => {
    const company = await seedCompany(env);
    const [first, second] = replicas as [FastifyInstance, FastifyInstance];
    const third = await gateway(env.config);
    try {
      const admitted = (answers: Array<{ statusCode: number }>) => answers.filter((response) => response.statusCode === 200).length;
      // A replica whose fresh count is low while another one spends the budget.
      const spender = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
      let spent = admitted([await me(first, spender)]);
      for (let index = 0; index < LIMIT - 1; index += 1) spent += admitted([await me(second, spender)]);
      spent += admitted(await Promise.all(Array.from({ length: 15 }, () => me(first, spender))));
      expect(spent).toBeGreaterThanOrEqual(LIMIT);
      expect(spent).toBeLessThanOrEqual(LIMIT + 1);
      // Three replicas, each with a fresh low count, hit by a burst at once.
      const burster = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
      const all = [first, second, third];
      let burst = 0;
      for (const app of all) burst += admitted([await me(app, burster)]);
      burst += admitted((await Promise.all(all.map((app) => Promise.all(Array.from({ length: 15 }, () => me(app, burster)))))).flat());
      expect(burst).toBeGreaterThanOrEqual(LIMIT);
      expect(burst).toBeLessThanOrEqual(LIMIT + all.length);
    } finally {
      await third.close();
    }
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
      // Counted once per request; those answered without waiting for Redis are counted when its refusal comes.
      const storeErrors = async () => {
        const metrics = (await app!.inject({ method: 'GET', url: '/metrics' })).body;
        const line = metrics.split('\n').find((candidate) => candidate.startsWith('callvault_rate_limit_store_errors_total{'));
        return Number(line?.slice(line.lastIndexOf(' ') + 1));
      };
      await waitFor(async () => (await storeErrors()) === LIMIT + 5, { timeoutMs: 5_000, what: 'every refused count' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await storeErrors()).toBe(LIMIT + 5);
    } finally {
      await app?.close();
      await redis?.close();
    }
  });

  it('answers a caller well within the budget without waiting for Redis, and a caller it has not heard of only after Redis counts', async () => {
    let redis: PrivateRedis | undefined;
    let app: FastifyInstance | undefined;
    let blocker: ReturnType<typeof createRedis> | undefined;
    try {
      redis = await startPrivateRedis();
      app = await gateway({ ...env.config, REDIS_URL: redis.url });
      blocker = createRedis({ kind: 'standalone', url: redis.url }, 'producer');
      const company = await seedCompany(env);
      const known = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
      const unheard = await tokenFor(env, (await seedUser(env, company.id, 'agent')).subject);
      expect((await me(app, known)).statusCode).toBe(200);
      // Redis runs one script at a time: this one keeps it busy for 600 ms.
      let redisBusy = true;
      const busy = blocker
        .eval(
          "local start = redis.call('TIME') repeat local now = redis.call('TIME') until (now[1] - start[1]) * 1000000 + now[2] - start[2] > 600000 return 1",
          0,
        )
        .finally(() => {
          redisBusy = false;
        });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const waiting = me(app, unheard).then((response) => ({ status: response.statusCode, redisBusy }));
      const answered = await me(app, known);
      expect({ status: answered.statusCode, redisBusy }).toEqual({ status: 200, redisBusy: true });
      expect(await waiting).toEqual({ status: 200, redisBusy: false });
      await busy;
    } finally {
      blocker?.disconnect();
      await app?.close();
      await redis?.close();
    }
  });
});
