import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import {
  auditWritesCounter,
  createMetricsRegistry,
  eventStoreHistogram,
  registerErrorHandling,
  registerHealthRoutes,
  registerHttpMetrics,
  registerMetricsRoute,
} from '../src';

let app: FastifyInstance;
let registry: Registry;

beforeAll(async () => {
  registry = createMetricsRegistry('http-test');
  app = Fastify();
  registerErrorHandling(app);
  registerHealthRoutes(app, {});
  registerMetricsRoute(app, registry);
  registerHttpMetrics(app, registry);
  // An encapsulated plugin, as the gateway's /v1 is: it inherits the hook.
  await app.register(async (v1) => {
    v1.get<{ Params: { id: string } }>('/v1/recordings/:id', async (request, reply) =>
      request.params.id === 'known'
        ? { id: 'known' }
        : reply.code(404).send({ statusCode: 404, error: 'Not Found', code: 'not_found', message: 'recording not found' }),
    );
    v1.post('/v1/boom', async () => {
      throw new Error('boom');
    });
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

const lines = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`));

/** The value of the one sample of `name` carrying all these labels (in any order), if any. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = lines(text, name).find((candidate) => Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('HTTP request metrics', () => {
  it('labels requests with the route pattern and status code, never the raw URL', async () => {
    const id = randomUUID();
    await app.inject({ method: 'GET', url: '/v1/recordings/known' });
    await app.inject({ method: 'GET', url: `/v1/recordings/${id}?cursor=secret-ish` });
    await app.inject({ method: 'GET', url: `/v1/recordings/${id}` });
    await app.inject({ method: 'POST', url: '/v1/boom' });
    await app.inject({ method: 'GET', url: `/nowhere/${id}` });
    await app.inject({ method: 'GET', url: '/healthz' });

    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (labels: Record<string, string>) => sample(text, 'callvault_http_request_duration_seconds_count', { service: 'http-test', ...labels });
    expect(count({ method: 'GET', route: '/v1/recordings/:id', status_code: '200' })).toBe(1);
    expect(count({ method: 'GET', route: '/v1/recordings/:id', status_code: '404' })).toBe(2);
    expect(count({ method: 'POST', route: '/v1/boom', status_code: '500' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    const counts = lines(text, 'callvault_http_request_duration_seconds_count');
    expect(counts).toHaveLength(4);
    expect(text).not.toContain(id);
    expect(text).not.toContain('secret-ish');
    // Probes and scrapes are left out.
    expect(counts.some((line) => line.includes('/healthz') || line.includes('/metrics'))).toBe(false);
    expect(lines(text, 'callvault_http_request_duration_seconds_bucket').some((line) => line.includes('le="0.005"'))).toBe(true);
  });
});

describe('metric factories', () => {
  it('audit writes: one counter per registry, by action and actor role', async () => {
    const counter = auditWritesCounter(registry);
    expect(auditWritesCounter(registry)).toBe(counter);
    counter.inc({ action: 'recording.play', actor_role: 'agent' });
    counter.inc({ action: 'recording.play', actor_role: 'agent' });
    counter.inc({ action: 'company.list', actor_role: 'superadmin' });
    const text = await registry.metrics();
    expect(sample(text, 'callvault_audit_events_total', { action: 'recording.play', actor_role: 'agent', service: 'http-test' })).toBe(2);
    expect(sample(text, 'callvault_audit_events_total', { action: 'company.list', actor_role: 'superadmin' })).toBe(1);
  });

  it('event store latency: a histogram by provider and outcome', async () => {
    const histogram = eventStoreHistogram(registry);
    expect(eventStoreHistogram(registry)).toBe(histogram);
    const stop = histogram.startTimer({ provider: 'twilio' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    stop({ outcome: 'accepted' });
    const text = await registry.metrics();
    expect(sample(text, 'callvault_event_store_seconds_count', { provider: 'twilio', outcome: 'accepted', service: 'http-test' })).toBe(1);
    expect(sample(text, 'callvault_event_store_seconds_bucket', { provider: 'twilio', outcome: 'accepted', le: '0.002' })).toBe(0);
    expect(sample(text, 'callvault_event_store_seconds_bucket', { provider: 'twilio', outcome: 'accepted', le: '+Inf' })).toBe(1);
  });
});
