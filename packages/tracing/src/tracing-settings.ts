import type { Config } from '@callvault/config';

type TracingVariables = Pick<
  Config,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_HEADERS'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_RESOURCE_ATTRIBUTES'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
>;

export type TracesSampler = Config['OTEL_TRACES_SAMPLER'];

export type TracingSettings =
  | { enabled: false }
  | {
      enabled: true;
      exporter: { kind: 'otlp'; url: string; headers: Record<string, string> } | { kind: 'console' };
      serviceName: string;
      resourceAttributes: Record<string, string>;
      sampler: TracesSampler;
      samplerRatio: number;
    };

/** OpenTelemetry's default collector address for OTLP over HTTP. */
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/**
 * What the OTEL_* variables ask of one service. Unlike the SDK's own default (otlp), tracing is off
 * until an operator names an exporter or a collector: an unconfigured deployment must not try to
 * reach a collector that is not there.
 */
export function tracingSettingsFrom(config: TracingVariables, service: string): TracingSettings {
  const exporter = config.OTEL_TRACES_EXPORTER ?? (config.OTEL_EXPORTER_OTLP_ENDPOINT || config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none');
  if (config.OTEL_SDK_DISABLED || exporter === 'none') return { enabled: false };
  // The generic endpoint gets the signal's path; the traces endpoint is used as given (OTLP exporter specification).
  const url = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${(config.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
  const resourceAttributes = config.OTEL_RESOURCE_ATTRIBUTES ?? {};
  return {
    enabled: true,
    exporter: exporter === 'console' ? { kind: 'console' } : { kind: 'otlp', url, headers: config.OTEL_EXPORTER_OTLP_HEADERS ?? {} },
    // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (SDK specification).
    serviceName: config.OTEL_SERVICE_NAME ?? resourceAttributes['service.name'] ?? `callvault-${service}`,
    resourceAttributes,
    sampler: config.OTEL_TRACES_SAMPLER,
    samplerRatio: config.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}
