import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys, describeJob, QUEUE_NAMES } from '@callvault/queue';
import { createTestEnvironment, seedCompany, seedSuperadmin, seedUser, tokenFor, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';
import type { GatewayDeps } from '../../src/gateway-deps';

let env: TestEnvironment;
let deps: GatewayDeps;
let app: FastifyInstance;

beforeAll(async () => {
  env = await createTestEnvironment();
  deps = composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log });
  app = await buildApp(deps);
});

afterAll(async () => {
  await app?.close();
  if (env) await deleteQueueKeys(env.redis, env.config.QUEUE_PREFIX);
  await env?.close();
});

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('gateway /metrics', () => {
  it('reports request latency by route pattern and status, and the depth of every queue', async () => {
    const admin = await seedSuperadmin(env);
    const company = await seedCompany(env);
    const agent = await seedUser(env, company.id, 'agent');
    const missing = randomUUID();
    const headers = { authorization: `Bearer ${await tokenFor(env, agent.subject)}` };
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/v1/recordings/${missing}`, headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/v1/recordings/${randomUUID()}`, headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    const superHeaders = { authorization: `Bearer ${await tokenFor(env, admin.subject)}` };
    expect((await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: superHeaders })).statusCode).toBe(200);

    await deps.producer.enqueue(describeJob('recording-fetch', { companyId: company.id, recordingId: randomUUID() }));
    await deps.producer.enqueue(describeJob('recording-fetch', { companyId: company.id, recordingId: randomUUID() }));

    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    const count = (labels: Record<string, string>) => sample(text, 'callvault_http_request_duration_seconds_count', { service: 'gateway', ...labels });
    expect(count({ method: 'GET', route: '/v1/me', status_code: '200' })).toBe(1);
    expect(count({ method: 'GET', route: '/v1/me', status_code: '401' })).toBe(1);
    expect(count({ method: 'GET', route: '/v1/recordings/:id', status_code: '404' })).toBe(2);
    expect(count({ method: 'GET', route: '/admin/queues/api/queues', status_code: '200' })).toBe(1);
    expect(text).not.toContain(missing);

    expect(sample(text, 'callvault_queue_jobs', { service: 'gateway', queue: 'recording-fetch', state: 'waiting' })).toBe(2);
    for (const queue of QUEUE_NAMES) {
      expect(sample(text, 'callvault_queue_up', { queue }), queue).toBe(1);
      expect(sample(text, 'callvault_queue_jobs', { queue, state: 'failed' }), queue).toBe(0);
    }
  });
});
