import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export { SpanKind, type Span };

/**
 * Every span of callvault goes through these helpers, and each first asks whether tracing is on:
 * when it is off (the default) they call straight through, so a webhook or a job pays one
 * boolean test, allocates no span and never formats or parses a traceparent.
 */
let on = false;
const w3c = new W3CTraceContextPropagator();
const tracer = () => trace.getTracer('callvault');

/** Set once by installTracing; only tests turn it off again. */
export function setTracingOn(value: boolean): void {
  on = value;
}

export function tracingOn(): boolean {
  return on;
}

/** The W3C traceparent of a context's span, or undefined when it has none (or tracing is off). */
function traceparentIn(ctx: Context): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/** The traceparent of the active span: what a job or a stored row carries to join this trace later. */
export function currentTraceparent(): string | undefined {
  return on ? traceparentIn(context.active()) : undefined;
}

export function traceparentOf(span: Span | undefined): string | undefined {
  return on && span ? traceparentIn(trace.setSpan(ROOT_CONTEXT, span)) : undefined;
}

/** The context a stored traceparent names; a missing or malformed one starts a new trace. */
function contextOf(traceparent: string | undefined): Context {
  return traceparent ? w3c.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter) : ROOT_CONTEXT;
}

export interface SpanStart {
  kind?: SpanKind;
  /** Ids, names, counts: never secrets, phone numbers, transcript text or signed URLs. */
  attributes?: Attributes;
  /**
   * Where the span hangs: `'active'` (the default) under the running span; a traceparent (from
   * an event row, an outbox row, job data, a request header) under the span it names; undefined
   * (no traceparent was stored) at the root of a new trace.
   */
  parent?: string | undefined | 'active';
}

/** A span started by hand, for work that does not fit in one callback (a batch); undefined when tracing is off. */
export function startSpan(name: string, start: SpanStart = {}): Span | undefined {
  if (!on) return undefined;
  const parent = start.parent === 'active' || !('parent' in start) ? context.active() : contextOf(start.parent);
  return tracer().startSpan(name, { kind: start.kind ?? SpanKind.INTERNAL, ...(start.attributes ? { attributes: start.attributes } : {}) }, parent);
}

/** Ends a span, marked as failed when `error` is given. */
export function finishSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
  }
  span.end();
}

/** Runs `work` with `span` active, so the spans and traceparents made inside descend from it. */
export function withActiveSpan<T>(span: Span | undefined, work: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), work) : work();
}

/** `work` inside a span that ends with it (failed when it throws). */
export function inSpan<T>(name: string, start: SpanStart, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  return on ? inNewSpan(name, start, work) : work(undefined);
}

async function inNewSpan<T>(name: string, start: SpanStart, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  const span = startSpan(name, start);
  try {
    const result = await withActiveSpan(span, () => work(span));
    finishSpan(span);
    return result;
  } catch (error) {
    finishSpan(span, error);
    throw error;
  }
}

/**
 * Background loops run outside any trace: woken from a request, they would otherwise inherit its
 * span and hang the work of other requests under it.
 */
export function outsideTraces<T>(work: () => T): T {
  return on ? context.with(ROOT_CONTEXT, work) : work();
}
