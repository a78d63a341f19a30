import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { finishSpan, SpanKind, startSpan, tracingOn, withActiveSpan, type Span } from '@callvault/tracing';
import { UNMATCHED_ROUTE } from './http-metrics';

/** Probes and scrapes every few seconds: traces of them would drown the ones worth reading. */
const UNTRACED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * A server span per request, named by its route (`POST /webhooks/twilio/recording-status`): the
 * root of the trace a webhook starts, or a child of the caller's `traceparent` header. The route
 * handler runs with it active, so what the handler stores or enqueues joins it; every log line of
 * the request carries its `traceId` beside `requestId`. Nothing is registered while tracing is
 * off. Register it before the routes: it wraps their handlers as they are declared.
 */
export function registerRequestTracing(app: FastifyInstance): void {
  if (!tracingOn()) return;
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (this: FastifyInstance, ...args: Parameters<RouteHandlerMethod>) => ReturnType<RouteHandlerMethod>;
    route.handler = function (request, reply) {
      return withActiveSpan(spans.get(request), () => handler.call(this, request, reply));
    };
  });
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    if (UNTRACED_ROUTES.has(route)) return;
    const given = request.headers.traceparent;
    // Only the route pattern: a path can hold a phone number (/v1/data-subjects/{e164}), a query a signed tag.
    const attributes = { 'http.request.method': request.method, 'http.route': route, 'callvault.request_id': request.id };
    const span = startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, parent: typeof given === 'string' ? given : undefined, attributes });
    if (!span) return;
    spans.set(request, span);
    request.log = request.log.child({ traceId: span.spanContext().traceId });
    reply.log = request.log;
  });
  app.addHook('onError', async (request, _reply, error) => {
    spans.get(request)?.recordException(error);
  });
  app.addHook('onRequestAbort', async (request) => {
    finishSpan(spans.get(request), new Error('request aborted by the client'));
    spans.delete(request);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    finishSpan(span, reply.statusCode >= 500 ? new Error(`HTTP ${reply.statusCode}`) : undefined);
  });
}
