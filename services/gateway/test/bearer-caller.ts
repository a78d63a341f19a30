import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

export type BearerCall = (token: string, method: InjectOptions['method'], url: string, body?: unknown) => Promise<LightMyRequestResponse>;

/** `app.inject` with the token's Bearer header and a user agent the audit trail can be checked for; `body` is sent as JSON. */
export function bearerCaller(app: FastifyInstance, userAgent: string): BearerCall {
  return (token, method, url, body) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'user-agent': userAgent },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
}
