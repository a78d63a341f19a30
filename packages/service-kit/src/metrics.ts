import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** One registry per process; services register their own metrics on it. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  registerBuildInfo(registry);
  return registry;
}

/**
 * `callvault_build_info` (always 1): which build each replica runs, for dashboards and for an
 * alert when replicas of one service disagree after a rollout. The bundle fixes version and
 * commit (scripts/build-services.ts); run from the sources, they read `dev` and `unknown`.
 */
function registerBuildInfo(registry: Registry): void {
  const info = new Gauge({
    name: 'callvault_build_info',
    help: 'Always 1; the labels say which build this process runs (package version, commit, Node.js version).',
    labelNames: ['version', 'commit', 'node'],
    registers: [registry],
  });
  info.set({ version: process.env.CALLVAULT_VERSION ?? 'dev', commit: process.env.CALLVAULT_COMMIT ?? 'unknown', node: process.version }, 1);
}

export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

/** The registry's metric of that name, created once: two apps built on one registry (tests, a process serving two roles) share it. */
export function getOrCreateMetric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
