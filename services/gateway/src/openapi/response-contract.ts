import type { FastifyInstance } from 'fastify';

/**
 * Watches every answer of a documented route for a status its documented responses do not
 * list: the document must say everything a route can answer. In production an undocumented
 * status is logged; with `failOnClose` (tests) closing the app throws, naming each one, so the
 * test that produced it fails.
 */
export function checkResponseContract(app: FastifyInstance, options: { failOnClose: boolean }): void {
  const undocumented = new Set<string>();
  app.addHook('onResponse', async (request, reply) => {
    const schema = request.routeOptions.schema;
    if (!schema?.response || schema.hide || request.method === 'HEAD') return;
    const status = reply.statusCode;
    const documented = schema.response as Record<string, unknown>;
    if (String(status) in documented || `${String(status)[0]}XX` in documented || `${String(status)[0]}xx` in documented) return;
    const entry = `${request.method} ${request.routeOptions.url} answered ${status}`;
    request.log.warn({ status, route: request.routeOptions.url }, 'response status missing from the OpenAPI document');
    undocumented.add(entry);
  });
  if (options.failOnClose) {
    app.addHook('onClose', async () => {
      if (undocumented.size > 0) throw new Error(`undocumented response statuses (document them on the route):\n${[...undocumented].join('\n')}`);
    });
  }
}
