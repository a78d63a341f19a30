import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { problemFrameworkErrors, registerErrorHandling } from './error-handler';
import { registerHealthRoutes, type ReadinessCheck } from './health-routes';
import { registerMetricsRoute } from './metrics';
import { registerRequestIdHeader, requestIdOptions } from './request-id';
import type { Registry } from 'prom-client';

/** Workers serve health and metrics only; their work arrives through the queue. */
export function buildWorkerApp(deps: { log: Logger; registry: Registry; readiness: Record<string, ReadinessCheck> }): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, ...requestIdOptions(), ...problemFrameworkErrors() });
  registerRequestIdHeader(app);
  registerErrorHandling(app);
  registerHealthRoutes(app, deps.readiness);
  registerMetricsRoute(app, deps.registry);
  return app;
}
