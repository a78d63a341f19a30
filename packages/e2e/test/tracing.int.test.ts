import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanKind } from '@opentelemetry/api';
import { installTracing, type Tracing } from '@callvault/tracing';
import { AGENT_NUMBER, CALLER, startTracedPipeline, type TracedPipeline } from './traced-pipeline';

/**
 * Tracing on, spans kept in memory: one recording's webhook, its stored event, the effects that
 * turn it into a fetch job, the fetch with its download and S3 upload, transcription and
 * analytics form one trace, each step under the one that caused it, although they run in other
 * transactions and, through Redis, in other workers.
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let pipeline: TracedPipeline;
const REQUEST_ID = 'twilio-retry-7';

beforeAll(async () => {
  tracing = installTracing({ serviceName: 'callvault-test', spanProcessor: new SimpleSpanProcessor({ exporter }) });
  pipeline = await startTracedPipeline();
});

afterAll(async () => {
  await pipeline?.close();
  await tracing?.shutdown();
});

const spanIdOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceIdOf = (span: ReadableSpan) => span.spanContext().traceId;

describe('a recording traced from webhook to analytics', () => {
  it('forms one trace with each step under the one that caused it', async () => {
    const { recordingId, authToken } = await pipeline.carryOneCall({ 'x-request-id': REQUEST_ID });
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((span) => [spanIdOf(span), span]));
    const parentOf = (span: ReadableSpan) => (span.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined);
    const childOf = (parent: ReadableSpan, name: string) => {
      const children = spans.filter((span) => span.name === name && parentOf(span) === parent);
      expect(children.length, `${name} under ${parent.name}`).toBeGreaterThanOrEqual(1);
      return children[0]!;
    };

    // From the one fetch up to the webhook that asked for it.
    const fetches = spans.filter((span) => span.name === 'process recording-fetch');
    expect(fetches).toHaveLength(1);
    const fetch = fetches[0]!;
    const sendFetch = parentOf(fetch)!;
    expect([sendFetch.name, sendFetch.kind]).toEqual(['send recording-fetch', SpanKind.PRODUCER]);
    const apply = parentOf(sendFetch)!;
    expect(apply.name).toBe('apply webhook event');
    const store = parentOf(apply)!;
    expect(store.name).toBe('store webhook event');
    const webhook = parentOf(store)!;
    expect(webhook.name).toMatch(/^POST \/webhooks\/twilio\/(recording-status|call-status)$/);
    expect(webhook.kind).toBe(SpanKind.SERVER);
    expect(webhook.parentSpanContext).toBeUndefined();
    expect(webhook.attributes).toMatchObject({ 'http.response.status_code': 204, 'callvault.request_id': REQUEST_ID });

    // Down from the fetch: its own hops, then transcription and analytics through their jobs.
    expect(childOf(fetch, 'recording download').kind).toBe(SpanKind.CLIENT);
    const upload = childOf(fetch, 'storage upload');
    expect(upload.attributes['aws.s3.key']).toMatch(new RegExp(`/${recordingId}\\.mp3$`));
    const transcription = childOf(childOf(fetch, 'send transcription'), 'process transcription');
    const analytics = childOf(childOf(fetch, 'send analytics'), 'process analytics');
    expect([transcription.kind, analytics.kind]).toEqual([SpanKind.CONSUMER, SpanKind.CONSUMER]);

    const traceId = traceIdOf(webhook);
    for (const span of [store, apply, sendFetch, fetch, upload, transcription, analytics]) expect(traceIdOf(span), span.name).toBe(traceId);

    // The links are the stored ones: the event row and the job's data carry those spans' traceparents.
    const event = await pipeline.env.ownerDb
      .selectFrom('webhook_events')
      .select('traceparent')
      .where('id', '=', String(apply.attributes['callvault.event.id']))
      .executeTakeFirstOrThrow();
    expect(event.traceparent).toBe(`00-${traceId}-${spanIdOf(store)}-01`);
    const job = await pipeline.producer.queue('recording-fetch').getJob(`fetch-${recordingId}`);
    expect(job?.data).toMatchObject({ recordingId, traceparent: `00-${traceId}-${spanIdOf(sendFetch)}-01` });

    // Every webhook is a trace of its own; no span carries a phone number or a credential.
    const webhooks = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(webhooks.map((span) => span.name).sort()).toEqual(['POST /webhooks/twilio/call-status', 'POST /webhooks/twilio/recording-status']);
    expect(new Set(webhooks.map(traceIdOf)).size).toBe(2);
    const attributes = JSON.stringify(spans.map((span) => span.attributes));
    for (const secret of [CALLER, AGENT_NUMBER, CALLER.slice(2), AGENT_NUMBER.slice(2), authToken]) expect(attributes).not.toContain(secret);

    // Every line ingest logged, but the one saying where it listens, belongs to the two requests and names both the request and its trace.
    const lines = pipeline.ingestLog.filter((line) => !String(line.msg).startsWith('Server listening'));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.filter((line) => line.msg === 'twilio event')).toHaveLength(2);
    for (const line of lines) {
      expect(line.requestId, String(line.msg)).toBe(REQUEST_ID);
      // Fastify writes "incoming request" before the first hook, where the span starts: its requestId joins it to the rest.
      if (line.msg !== 'incoming request') expect(webhooks.map(traceIdOf), String(line.msg)).toContain(line.traceId);
    }
  });
});
