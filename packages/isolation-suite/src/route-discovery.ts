import type { FastifyInstance } from 'fastify';

export interface DiscoveredRoute {
  method: string;
  path: string;
}

/** Routes that are not tenant data: health, metrics, API docs, Bull Board, and token-signed media, and the dashboard's static files (its data comes from /v1). */
export const UNEXERCISED_ROUTES: readonly RegExp[] = [
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
  /^\/docs(\/.*)?$/,
  /^\/admin\/queues(\/.*)?$/,
  /^\/media\/:id$/,
  /^\/app([/*].*)?$/,
];

const LINE = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/;

/**
 * Every route of a ready Fastify app, read from `printRoutes({ commonPrefix: false })`: each
 * line is a path segment under its parent, with the methods that end there. HEAD routes are
 * Fastify's automatic twins of GET and are left out.
 */
export function discoverRoutes(app: FastifyInstance): DiscoveredRoute[] {
  const stack: string[] = [];
  const routes: DiscoveredRoute[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of (match[3] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

export const routeKey = (route: DiscoveredRoute) => `${route.method} ${route.path}`;
export const isUnexercised = (route: DiscoveredRoute) => UNEXERCISED_ROUTES.some((pattern) => pattern.test(route.path));
