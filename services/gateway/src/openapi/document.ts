import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { documentTransform } from './response-docs';
import { ingestPaths } from './ingest-paths';
import { outboundWebhooks } from './webhooks';

type OpenApiObject = Record<string, unknown> & { components?: Record<string, Record<string, unknown>> };

const TAGS = [
  { name: 'me', description: 'The caller' },
  { name: 'recordings', description: 'Recordings in scope: details, playback, download, changes, deletion' },
  { name: 'calls', description: 'Calls in scope, and call links for calls your own systems place' },
  { name: 'transcripts', description: 'Transcripts, search, re-runs' },
  { name: 'stats', description: 'Aggregates in scope: scorecard answers, language-model usage and cost' },
  { name: 'administration', description: 'Companies, users, audit events' },
  { name: 'settings', description: "The company's Twilio account and VAPI org, call intelligence and speech-to-text" },
  { name: 'phone-numbers', description: 'Numbers that route calls to a company and its users' },
  { name: 'integration', description: 'API keys and outbound webhook endpoints' },
  { name: 'operations', description: 'Stored provider events (superadmin)' },
  { name: 'webhook-events', description: 'Replaying stored provider events (superadmin)' },
  { name: 'ingest', description: 'Called by Twilio and VAPI on the ingest server, not by API clients' },
  { name: 'outbound events', description: 'What callvault POSTs to your webhook endpoints (Standard Webhooks)' },
];

/**
 * `Idempotency-Key`, for the POSTs that create or act: the same key and body within 24 h answer
 * what the first answered; the same key with another body is 422. Routes reference it as
 * `#/components/parameters/IdempotencyKey`.
 */
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'a unique key per intended action (e.g. a UUID): retrying with it never acts twice',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '5f0c1b9e-8d7a-4b3c-a2e1-0f9d8c7b6a54',
};

/** The @fastify/swagger options of the gateway: the document served at /docs/json. */
export function openApiOptions(urls: { gateway: string; ingest: string }): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'callvault gateway',
        version: '0.1.0',
        description:
          "Scoped access to call recordings, transcripts and analytics. Anything outside the caller's scope answers 404; errors are RFC 9457 problem details (`application/problem+json`) with a stable `code` and the request's `requestId`.",
      },
      servers: [{ url: urls.gateway, description: 'gateway (GATEWAY_PUBLIC_URL)' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: "a user's JWT, or a company API key (`cvk_…`) acting within its role" },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: documentTransform,
    transformObject: (input) => finishDocument(jsonSchemaTransformObject(input) as OpenApiObject, urls.ingest),
  };
}

/** Adds what no route declares (webhooks, ingest, shared parameters) and drops unused schemas. */
function finishDocument(document: OpenApiObject, ingestUrl: string): OpenApiObject {
  const outbound = outboundWebhooks();
  const components = document.components ?? {};
  const finished: OpenApiObject = {
    ...document,
    paths: { ...withIdempotencyKeys(document.paths as Record<string, Record<string, unknown>>), ...ingestPaths(ingestUrl) },
    webhooks: outbound.webhooks,
    components: {
      ...components,
      schemas: { ...components.schemas, ...outbound.schemas },
      parameters: { ...components.parameters, IdempotencyKey: IDEMPOTENCY_KEY, ...outbound.parameters },
    },
  };
  return withoutUnusedSchemas(finished);
}

/** Every /v1 POST takes `Idempotency-Key` (one hook in the /v1 plugin answers for all of them). */
function withIdempotencyKeys(paths: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      const post = item.post as { parameters?: unknown[] } | undefined;
      if (!path.startsWith('/v1/') || !post) return [path, item];
      return [path, { ...item, post: { ...post, parameters: [...(post.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }] } }];
    }),
  );
}

/**
 * The zod registry holds every schema given an id, in an input and an output variant; keep
 * only those the document refers to (transitively), so an SDK gets no orphan types.
 */
function withoutUnusedSchemas(document: OpenApiObject): OpenApiObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, unknown>;
  const { components, ...rest } = document;
  const used = new Set<string>();
  const visit = (value: unknown) => {
    for (const match of JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      const name = match[1]!;
      if (!used.has(name)) {
        used.add(name);
        visit(schemas[name]);
      }
    }
  };
  visit({ ...rest, components: { ...components, schemas: {} } });
  // zod writes each component as a standalone schema ($schema, $id with a fragment): inside a document neither belongs.
  const kept = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => used.has(name))
      .map(([name, schema]) => {
        const { $schema: _dialect, $id: _id, ...inDocument } = schema as Record<string, unknown>;
        return [name, inDocument];
      }),
  );
  return { ...rest, components: { ...components, schemas: kept } };
}
