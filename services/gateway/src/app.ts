import type { Registry } from 'prom-client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerErrorHandling, registerHealthRoutes, registerHttpMetrics, registerMetricsRoute } from '@callvault/service-kit';
import { registerApiKeyGuard } from './api-key-guard';
import { authenticate } from './authenticate';
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
import { registerSearchRoute } from './routes/search';
import { registerAdminRoutes } from './routes/admin/register-admin-routes';
import { registerCallRoutes } from './routes/calls';
import { registerTranscriptRoutes } from './routes/transcripts';
import { registerMediaRoute } from './routes/media';
import { registerRateLimit } from './rate-limit';
import { registerDashboard } from './dashboard/dashboard-routes';
import { defaultDashboardDir } from './dashboard/dashboard-dir';

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
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('metricsRegistry', deps.registry);
  registerErrorHandling(app);
  rejectNulCharacters(app);
  app.addHook('onClose', () => deps.closeConnections());
  registerHealthRoutes(app, deps.readiness);
  registerMetricsRoute(app, deps.registry);
  registerHttpMetrics(app, deps.registry); // before the routes: every plugin inherits its hook

  await app.register(swagger, {
    openapi: {
      info: { title: 'callvault gateway', version: '0.1.0', description: 'Scoped access to call recordings, transcripts and analytics.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerMediaRoute(app, deps); // public: its URL carries its own HMAC token

  const principals = createPrincipalCache(deps.config.PRINCIPAL_CACHE_SECONDS);
  const authentication = { db: deps.db, verifyToken: deps.verifyToken, principals };
  await app.register(async (v1) => {
    v1.decorateRequest('principal', null as never);
    v1.addHook('onRequest', async (request, reply) => {
      // Every /v1 answer is one caller's view (errors included): no shared or browser cache keeps it.
      reply.header('cache-control', 'no-store');
      request.principal = await authenticate(authentication, request);
    });
    invalidatePrincipalsOnWrites(v1, principals);
    await registerRateLimit(v1); // first: it applies to the routes declared after it
    registerApiKeyGuard(v1, deps.db);
    registerMeRoute(v1);
    registerRecordingRoutes(v1, deps);
    registerCallRoutes(v1, deps);
    registerTranscriptRoutes(v1, deps);
    registerCallLinkRoutes(v1, deps);
    registerOperationRoutes(v1, deps);
    registerStatsRoute(v1, deps);
    registerSearchRoute(v1, deps);
    registerAdminRoutes(v1, deps);
  });
  await registerBullBoard(app, deps); // /admin/queues: superadmin only, cookie sign-in at /admin/session
  await registerDashboard(app, { config: deps.config, dashboardDir: 'dashboardDir' in deps ? deps.dashboardDir : defaultDashboardDir() });
  return app;
}
