import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Config } from '@callvault/config';
import { setTracingOn } from './spans';
import { tracingSettingsFrom, type TracesSampler } from './tracing-settings';

export interface Tracing {
  enabled: boolean;
  /** Exports what is still buffered and stops: the last closer of a process. */
  shutdown(): Promise<void>;
}

function samplerOf(name: TracesSampler, ratio: number): Sampler {
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * Registers a tracer provider for the process: the async-local context that carries the active
 * span through awaits, the W3C propagator, and `spanProcessor`. Tests pass an in-memory exporter.
 */
export function installTracing(options: {
  serviceName: string;
  spanProcessor: SpanProcessor;
  resourceAttributes?: Record<string, string>;
  sampler?: Sampler;
}): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: options.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [options.spanProcessor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingOn(true);
  return {
    enabled: true,
    async shutdown() {
      setTracingOn(false);
      await provider.shutdown();
    },
  };
}

/** Tracing as the OTEL_* variables configure it for `service`; off (nothing registered) by default. */
export function startTracing(config: Config, service: string): Tracing {
  const settings = tracingSettingsFrom(config, service);
  if (!settings.enabled) return { enabled: false, shutdown: async () => undefined };
  const spanProcessor =
    settings.exporter.kind === 'console'
      ? new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })
      : new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.exporter.url, headers: settings.exporter.headers }) });
  return installTracing({
    serviceName: settings.serviceName,
    resourceAttributes: settings.resourceAttributes,
    sampler: samplerOf(settings.sampler, settings.samplerRatio),
    spanProcessor,
  });
}
