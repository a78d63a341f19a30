import type { Registry } from 'prom-client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
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
import { registerApiKeyGuard } from './api-key-guard';
import { openApiOptions } from './openapi/document';
import { documentRoutes } from './openapi/route-docs';
import { checkResponseContract } from './openapi/response-contract';
import { registerIdempotency } from './idempotency';
import { authenticate } from './authenticate';
import { registerCors } from './cors';
import { GATEWAY_ERRORS } from './errors';
import { createPrincipalCache, invalidatePrincipalsOnWrites } from './principal-cache';
import { rejectNulCharacters } from './reject-nul';
import { registerBullBoard } from './bull-board';
import type { GatewayDeps } from './gateway-deps';
import type { Principal } from './principal';
import { registerMeRoute } from './routes/me';
import { registerRecordingRoutes } from './routes/recordings';
import { registerCallLinkRoutes } from './routes/call-links';
import { registerOperationRoutes } from './routes/operations';
import { registerStatsRoute } from './routes/stats';
import { registerScorecardStatsRoute } from './routes/scorecard-stats';
import { registerModelUsageStatsRoute } from './routes/model-usage-stats';
import { registerSearchRoute } from './routes/search';
import { registerAdminRoutes } from './routes/admin/register-admin-routes';
import { registerCallRoutes } from './routes/calls';
import { registerTranscriptRoutes } from './routes/transcripts';
import { registerTranscriptListRoute } from './routes/transcript-list';
import { registerMediaRoute } from './routes/media';
import { registerDataSubjectRoutes } from './routes/data-subjects/data-subject-routes';
import { registerRateLimit } from './rate-limit';
import { registerReadPinning } from './replica-reads';
import { registerDashboard } from './dashboard/dashboard-routes';
import { defaultDashboardDir } from './dashboard/dashboard-dir';
import { openSecretBox } from './routes/admin/secret-box-source';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    /** The process registry, for metrics written outside a route's own code (audit writes). */
    metricsRegistry: Registry;
  }
}

/** The gateway HTTP app. It never listens: main.ts does; tests use inject. */
export async function buildApp(deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Behind a load balancer the client address comes from X-Forwarded-For, from trusted proxies only.
    trustProxy: deps.config.TRUST_PROXY as FastifyServerOptions['trustProxy'],
    ...requestIdOptions(),
    ...problemFrameworkErrors(GATEWAY_ERRORS),
  });
  registerRequestIdHeader(app);
  registerRequestTracing(app); // before the routes: it wraps their handlers
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('metricsRegistry', deps.registry);
  registerErrorHandling(app, GATEWAY_ERRORS);
  rejectNulCharacters(app);
  app.addHook('onClose', () => deps.closeConnections());
  registerHealthRoutes(app, deps.readiness);
  registerMetricsRoute(app, deps.registry);
  registerHttpMetrics(app, deps.registry); // before the routes: every plugin inherits its hook

  await app.register(swagger, openApiOptions({ gateway: deps.config.GATEWAY_PUBLIC_URL, ingest: deps.config.PUBLIC_BASE_URL }));
  documentRoutes(app);
  checkResponseContract(app, { failOnClose: deps.config.NODE_ENV === 'test' });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerMediaRoute(app, deps); // public: its URL carries its own HMAC token

  const principals = createPrincipalCache(deps.config.PRINCIPAL_CACHE_SECONDS);
  const authentication = { db: deps.db, verifyToken: deps.verifyToken, principals };
  await app.register(async (v1) => {
    v1.decorateRequest('principal', null as never);
    await registerCors(v1, deps.config.CORS_ALLOWED_ORIGINS); // before authentication: a preflight carries no token
    v1.addHook('onRequest', async (request, reply) => {
      // No /v1 route answers OPTIONS but CORS preflight (handled above); anything else falls through to a 404.
      if (request.method === 'OPTIONS') return;
      // Every /v1 answer is one caller's view (errors included): no shared or browser cache keeps it.
      reply.header('cache-control', 'no-store');
      request.principal = await authenticate(authentication, request);
    });
    invalidatePrincipalsOnWrites(v1, principals);
    // First: it applies to the routes declared after it.
    await registerRateLimit(v1, {
      max: deps.config.RATE_LIMIT_PER_MINUTE,
      redis: deps.rateLimitRedis,
      keyPrefix: deps.config.QUEUE_PREFIX,
      registry: deps.registry,
      log: deps.log,
    });
    registerApiKeyGuard(v1, deps.db);
    registerReadPinning(v1, deps.replicaReads);
    registerIdempotency(v1, deps.db, openSecretBox(deps)); // before the routes: every POST among them takes Idempotency-Key
    registerMeRoute(v1);
    registerRecordingRoutes(v1, deps);
    registerCallRoutes(v1, deps);
    registerTranscriptRoutes(v1, deps);
    registerTranscriptListRoute(v1, deps);
    registerCallLinkRoutes(v1, deps);
    registerOperationRoutes(v1, deps);
    registerStatsRoute(v1, deps);
    registerScorecardStatsRoute(v1, deps);
    registerModelUsageStatsRoute(v1, deps);
    registerSearchRoute(v1, deps);
    registerAdminRoutes(v1, deps);
    registerDataSubjectRoutes(v1, deps);
  });
  await registerBullBoard(app, deps); // /admin/queues: superadmin only, cookie sign-in at /admin/session
  await registerDashboard(app, { config: deps.config, dashboardDir: 'dashboardDir' in deps ? deps.dashboardDir : defaultDashboardDir() });
  return app;
}
