import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { startTracing, tracingOn } from '@callvault/tracing';
import { startTracedPipeline, type TracedPipeline } from './traced-pipeline';

/**
 * Tracing as shipped: off. A tracer provider with an in-memory exporter is registered anyway, as
 * another library might, so any span callvault started would land in it; none does, no row or
 * job carries a traceparent, and a traceparent a caller sends is not taken up.
 */
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
let pipeline: TracedPipeline;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  pipeline = await startTracedPipeline();
});

afterAll(async () => {
  await pipeline?.close();
  await provider.shutdown();
});

describe('tracing off (no OTEL_* variable set)', () => {
  it('produces no spans and no traceparents, and logs carry the request id alone', async () => {
    expect(startTracing(pipeline.env.config, 'ingest').enabled).toBe(false);
    expect(tracingOn()).toBe(false);
    const given = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const { recordingId } = await pipeline.carryOneCall({ 'x-request-id': 'off-1', traceparent: given });

    expect(exporter.getFinishedSpans()).toEqual([]);
    const events = await pipeline.env.ownerDb.selectFrom('webhook_events').select('traceparent').execute();
    expect(events.length).toBe(2);
    expect(events.map((event) => event.traceparent)).toEqual([null, null]);
    expect(await pipeline.env.ownerDb.selectFrom('job_outbox').select('traceparent').where('traceparent', 'is not', null).execute()).toEqual([]);
    for (const [queue, jobId] of [
      ['recording-fetch', `fetch-${recordingId}`],
      ['transcription', `transcribe-${recordingId}`],
      ['analytics', `analyze-${recordingId}`],
    ] as const) {
      const job = await pipeline.producer.queue(queue).getJob(jobId);
      expect(job?.data, jobId).toEqual({ companyId: expect.any(String), recordingId });
    }
    const lines = pipeline.ingestLog.filter((line) => !String(line.msg).startsWith('Server listening'));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect([line.requestId, line.traceId], String(line.msg)).toEqual(['off-1', undefined]);
  });
});
