import { getOrCreateMetric } from './metrics';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The route label of a request no route matched: never the raw URL, which would explode the series. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Request latency by method, route pattern (`/v1/recordings/:id`, never the URL with its ids or
 * query) and status code. Register it before the routes so every encapsulated plugin inherits the
 * hook. Health, readiness and metrics scrapes are left out: they would drown the real traffic.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry, options: { skipRoutes?: readonly string[] } = {}): void {
  const skip = new Set(options.skipRoutes ?? ['/healthz', '/readyz', '/metrics']);
  const duration = getOrCreateMetric(
    registry,
    'callvault_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'callvault_http_request_duration_seconds',
        help: 'HTTP request latency from arrival to the last byte of the reply, by method, route pattern and status code.',
        labelNames: ['method', 'route', 'status_code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
  );
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    if (skip.has(route)) return;
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

/**
 * Audit events written by the gateway, by action (`recording.play`, `user.update`, ...) and the
 * actor's role. Increment it after `insertAuditEvent` succeeded; actions are a fixed set in code,
 * so the label stays bounded.
 */
export function auditWritesCounter(registry: Registry): Counter<'action' | 'actor_role'> {
  return getOrCreateMetric(
    registry,
    'callvault_audit_events_total',
    () =>
      new Counter({
        name: 'callvault_audit_events_total',
        help: 'Audit events written, by action and actor role (superadmin cross-company reads included).',
        labelNames: ['action', 'actor_role'],
        registers: [registry],
      }),
  );
}

/**
 * Time ingest spends storing one webhook event durably (the transaction that inserts the event row
 * and applies its effects), by provider and outcome (accepted, duplicate, quarantined, rejected,
 * error). The provider waits on this before its 2xx.
 */
export function eventStoreHistogram(registry: Registry): Histogram<'provider' | 'outcome'> {
  return getOrCreateMetric(
    registry,
    'callvault_event_store_seconds',
    () =>
      new Histogram({
        name: 'callvault_event_store_seconds',
        help: 'Time to store one webhook event durably (event row + effects, one transaction), by provider and outcome.',
        labelNames: ['provider', 'outcome'],
        buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
  );
}
