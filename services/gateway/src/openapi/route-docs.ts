import type { FastifyInstance, RouteOptions } from 'fastify';
import { OPERATIONS } from './operations';
import { problem } from './problem';

/**
 * What any /v1 route can answer besides its own errors, because of what the /v1 plugin does to
 * every request: 400 (invalid parameters, NUL characters anywhere in the URL), 401 (no valid
 * token or key), 403 (a disabled user, a read-only key writing), 429 (the per-caller rate
 * limit). 500 is any route's masked unexpected failure.
 */
const V1_STATUSES = [400, 401, 403, 429, 500];
const ANY_ROUTE_STATUSES = [500];
/** A request body can be over the gateway's 1 MiB limit (413) or of a type it does not parse (415). */
const BODY_STATUSES = [413, 415];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Any /v1 POST takes `Idempotency-Key`: 409 while its first use runs, 422 when reused for another request. */
const IDEMPOTENT_STATUSES = [409, 422];

/**
 * Gives every documented route its operationId and summary (from OPERATIONS) and the error
 * responses its surroundings add. Register before the routes: onRoute sees only later routes.
 */
export function documentRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.schema?.hide || route.method === 'HEAD' || route.url.startsWith('/docs')) return;
    const key = `${String(route.method)} ${route.url}`;
    const operation = OPERATIONS[key];
    if (!operation) throw new Error(`route ${key} has no operationId: name it in services/gateway/src/openapi/operations.ts`);
    const v1 = route.url.startsWith('/v1/');
    const statuses = [
      ...(v1 ? V1_STATUSES : ANY_ROUTE_STATUSES),
      ...(BODY_METHODS.has(String(route.method)) ? BODY_STATUSES : []),
      ...(v1 && route.method === 'POST' ? IDEMPOTENT_STATUSES : []),
    ];
    const surrounding = Object.fromEntries(statuses.map((status) => [status, problem]));
    route.schema = { ...route.schema, ...operation, response: { ...surrounding, ...(route.schema?.response as object | undefined) } };
  });
}
