import { randomUUID } from 'node:crypto';
import { validate } from '@readme/openapi-parser';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys } from '@callvault/queue';
import { createTestEnvironment, seedCompany, seedUser, tokenFor, type TestEnvironment } from '@callvault/testing';
import { buildApp, composeGateway } from '../../src';
import { checkResponseContract } from '../../src/openapi/response-contract';

type Operation = { operationId?: string; summary?: string; tags?: string[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation & { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>;
  components: { schemas: Record<string, unknown>; parameters: Record<string, unknown> };
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

let env: TestEnvironment;
let app: FastifyInstance;
let document: Document;

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  document = response.json();
});

afterAll(async () => {
  await app?.close();
  if (env) await deleteQueueKeys(env.redis, env.config.QUEUE_PREFIX);
  await env?.close();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );

describe('the gateway OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document for @readme/openapi-parser', async () => {
    expect(document.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('names every operation with a unique camelCase operationId, a summary and a tag', () => {
    const all = [...operations().map(({ operation }) => operation), ...Object.values(document.webhooks).map(({ post }) => post)];
    const unnamed = operations()
      .filter(({ operation }) => !operation.operationId || !operation.summary || !operation.tags?.length)
      .map(({ method, path }) => `${method} ${path}`);
    expect(unnamed).toEqual([]);
    const ids = all.map((operation) => operation.operationId);
    expect(ids.every((id) => /^[a-z][a-zA-Z0-9]*$/.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['listRecordings', 'getRecording', 'getRecordingPlayback', 'listCalls', 'getCall', 'getTranscript', 'createApiKey']),
    );
  });

  it('documents the errors every /v1 operation can answer as problem details', () => {
    const v1 = operations().filter(({ path }) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(40);
    for (const { method, path, operation } of v1) {
      for (const status of ['400', '401', '403', '429', '500']) {
        expect(operation.responses[status]?.content?.['application/problem+json']?.schema, `${method} ${path} ${status}`).toEqual({
          $ref: '#/components/schemas/Problem',
        });
      }
    }
    const problem = document.components.schemas.Problem as { required: string[]; properties: Record<string, { format?: string }> };
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']));
    expect(problem.properties.type?.format).toBe('uri');
    const recording = document.paths['/v1/recordings/{id}']!.get!.responses;
    expect(Object.keys(recording)).toEqual(expect.arrayContaining(['200', '404']));
    expect(Object.keys(document.paths['/v1/recordings/{id}']!.delete!.responses)).toContain('409');
  });

  it('shares its schemas as components: entities, page envelopes, timestamps as date-time, ids as uuid', () => {
    const list = document.paths['/v1/recordings']!.get!.responses['200']!.content!['application/json']!.schema;
    // The list carries tombstones in its change feed (sort=updatedAt).
    expect(list).toEqual({ $ref: '#/components/schemas/RecordingOrTombstonePage' });
    const recording = document.components.schemas.Recording as { properties: Record<string, { format?: string; anyOf?: { format?: string }[] }> };
    const formatOf = (name: string) => recording.properties[name]?.format ?? recording.properties[name]?.anyOf?.find((option) => option.format)?.format;
    for (const name of ['createdAt', 'updatedAt', 'startedAt', 'lastPlayedAt']) expect(formatOf(name), name).toBe('date-time');
    for (const name of ['id', 'callId', 'companyId', 'ownerUserId']) expect(formatOf(name), name).toBe('uuid');
    // Every property of a shared schema whose name says it is a time is documented as one.
    const untyped = Object.entries(document.components.schemas).flatMap(([schemaName, schema]) =>
      Object.entries((schema as { properties?: Record<string, { format?: string; anyOf?: { format?: string }[] }> }).properties ?? {})
        .filter(([name]) => /At$/.test(name))
        .filter(([, property]) => (property.format ?? property.anyOf?.find((option) => option.format)?.format) !== 'date-time')
        .map(([name]) => `${schemaName}.${name}`),
    );
    expect(untyped).toEqual([]);
    expect(document.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
  });

  it('lists the outbound events in `webhooks` with their payload schemas', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual(
      ['analysis.completed', 'call.completed', 'recording.deleted', 'recording.failed', 'recording.stored', 'transcript.completed'].sort(),
    );
    const stored = document.webhooks['recording.stored']!.post.requestBody.content['application/json']!.schema.$ref.split('/').pop()!;
    expect(document.components.schemas[stored]).toMatchObject({
      properties: {
        type: { const: 'recording.stored' },
        timestamp: { format: 'date-time' },
        data: { required: expect.arrayContaining(['companyId', 'recordingId', 'sha256']) },
      },
    });
  });

  it('documents the ingest endpoints on the ingest server', () => {
    const ingest = document.paths['/webhooks/twilio/recording-status'] as unknown as { servers: { url: string }[]; post: Operation };
    expect(ingest.servers[0]!.url).toBe(env.config.PUBLIC_BASE_URL);
    expect(ingest.post.tags).toEqual(['ingest']);
    expect(Object.keys(ingest.post.responses)).toEqual(expect.arrayContaining(['204', '202', '400', '403', '503']));
    expect(document.paths['/webhooks/vapi']).toBeDefined();
  });
});

describe('the response contract check', () => {
  it('lets documented statuses pass: an unknown recording is a documented 404', async () => {
    const company = await seedCompany(env);
    const agent = await seedUser(env, company.id, 'agent');
    const response = await app.inject({
      method: 'GET',
      url: `/v1/recordings/${randomUUID()}`,
      headers: { authorization: `Bearer ${await tokenFor(env, agent.subject)}` },
    });
    expect(response.statusCode).toBe(404);
  });

  it('makes closing the app fail, naming the route, when a route answers a status it does not document', async () => {
    const probe = Fastify({ logger: false });
    checkResponseContract(probe, { failOnClose: true });
    const only200: FastifySchema = { response: { 200: { type: 'object' } } };
    probe.get('/thing', { schema: only200 }, async (_request, reply) => reply.code(409).send({}));
    probe.get('/other', { schema: { response: { 200: { type: 'object' }, '4xx': { type: 'object' } } } }, async (_request, reply) => reply.code(404).send({}));
    expect((await probe.inject({ method: 'GET', url: '/thing' })).statusCode).toBe(409);
    expect((await probe.inject({ method: 'GET', url: '/other' })).statusCode).toBe(404);
    await expect(probe.close()).rejects.toThrow(/^undocumented response statuses[\s\S]*GET \/thing answered 409$/);
  });
});
