import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '@callvault/config';
import { DashboardNotBuiltError, NotFoundError } from '../errors';
import { dashboardCsp } from './content-security-policy';
import { dashboardConfig } from './dashboard-config';

/** Client paths are extensionless (/app/calls, /app/recordings/<id>); files have an extension. */
const FILE = /\.[a-z0-9]{1,8}$/i;
const SAFE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * /app: the dashboard's single-page app from its build directory. Every client route answers
 * index.html (revalidated on each visit, so a deploy applies at once); the hashed files under
 * assets/ never change and are cached for a year, served precompressed; a missing file is a
 * 404 in our error shape, never the app's HTML (a stale chunk must fail loudly, not parse HTML
 * as JavaScript). Every answer carries the strict content security policy.
 */
export async function registerDashboard(app: FastifyInstance, input: { config: Config; dashboardDir: string | undefined }): Promise<void> {
  const root = input.dashboardDir;
  const csp = dashboardCsp(input.config);
  const publicConfig = dashboardConfig(input.config);

  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', csp);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      return payload;
    });
    await scope.register(fastifyStatic, { root: root ?? join(import.meta.dirname, 'missing'), serve: false, preCompressed: true, decorateReply: true });

    const built = () => root !== undefined && existsSync(join(root, 'index.html'));
    const sendIndex = (reply: FastifyReply) => {
      if (!built()) throw new DashboardNotBuiltError();
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    };

    scope.get('/app/config.json', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return publicConfig;
    });
    scope.get('/app', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
    scope.get('/app/*', { schema: { hide: true } }, async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      if (!FILE.test(path)) return sendIndex(reply);
      if (!built()) throw new DashboardNotBuiltError();
      if (!SAFE_PATH.test(path) || path.split('/').includes('..')) throw new NotFoundError('file not found');
      const file = join(root!, path);
      if (!existsSync(file) || !statSync(file).isFile()) throw new NotFoundError('file not found');
      if (path.startsWith('assets/')) return reply.sendFile(path, { maxAge: '365d', immutable: true });
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(path, { cacheControl: false });
    });
  });
}
