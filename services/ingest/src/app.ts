import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  registerErrorHandling,
  registerHealthRoutes,
  registerHttpMetrics,
  problemFrameworkErrors,
  registerMetricsRoute,
  registerRequestIdHeader,
  registerRequestTracing,
  requestIdOptions,
} from '@callvault/service-kit';
import { INGEST_ERRORS } from './errors';
import type { IngestDeps } from './ingest-deps';
import { registerTwilioRoutes } from './twilio/twilio-routes';
import { registerVapiRoutes } from './vapi/vapi-routes';

/** The ingest HTTP app. It never listens: main.ts does, tests use inject or listen on port 0. */
export function buildApp(deps: IngestDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Generous global cap; each route sets its own (Twilio 64 KiB, VAPI 8 MiB).
    bodyLimit: 8 * 1024 * 1024,
    ...requestIdOptions(),
    ...problemFrameworkErrors(INGEST_ERRORS),
  });
  registerRequestIdHeader(app);
  registerRequestTracing(app);
  registerErrorHandling(app, INGEST_ERRORS);
  // Bodies are kept raw: Twilio signs the parsed fields, VAPI signs the exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerHealthRoutes(app, deps.readiness);
  registerMetricsRoute(app, deps.metrics.registry);
  registerHttpMetrics(app, deps.metrics.registry);
  registerTwilioRoutes(app, deps);
  registerVapiRoutes(app, deps);
  return app;
}
