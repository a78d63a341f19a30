import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './gateway-schema';

export type GatewayClient = Client<paths>;

export interface GatewayClientOptions {
  /** The gateway's origin; empty for the same origin (the dashboard served at /app). */
  baseUrl: string;
  /** The current bearer token, read on every request so a new sign-in applies at once. */
  token: () => string | null;
  /** Called on a 401, once per answer: the caller signs in again. */
  onUnauthorized?: () => void;
  fetch?: typeof globalThis.fetch;
}

/** A client of the gateway typed by its OpenAPI document: paths, parameters and bodies are checked. */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = options.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized?.();
      return response;
    },
  };
  client.use(auth);
  return client;
}
