import { describe, expect, it } from 'vitest';
import { configSchema } from '@callvault/config';
import { tracingSettingsFrom } from './tracing-settings';

/** The OTEL_* variables as the config schema parses them from an environment. */
const settingsOf = (env: Record<string, string>) => tracingSettingsFrom(configSchema.parse(env), 'ingest');

describe('tracing settings from the OTEL_* variables', () => {
  it('are off when nothing is configured', () => {
    expect(settingsOf({})).toEqual({ enabled: false });
  });

  it('turn on with a collector endpoint, sending to its /v1/traces', () => {
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      enabled: true,
      exporter: { kind: 'otlp', url: 'http://collector:4318/v1/traces', headers: {} },
      serviceName: 'callvault-ingest',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
  });

  it('use a traces endpoint as given, over the generic one', () => {
    const settings = settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/in' });
    expect(settings.enabled && settings.exporter).toEqual({ kind: 'otlp', url: 'https://traces.example.com/in', headers: {} });
  });

  it('turn on with a named exporter, at the default collector address when none is set', () => {
    const settings = settingsOf({ OTEL_TRACES_EXPORTER: 'otlp' });
    expect(settings.enabled && settings.exporter).toEqual({ kind: 'otlp', url: 'http://localhost:4318/v1/traces', headers: {} });
    expect(settingsOf({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ enabled: true, exporter: { kind: 'console' } });
  });

  it('stay off when the SDK is disabled or the exporter is none, whatever else is set', () => {
    expect(settingsOf({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: false });
    expect(settingsOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: false });
  });

  it('read the service name, resource attributes, headers and sampler', () => {
    const settings = settingsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, tenant=eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=from-attributes',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(settings).toMatchObject({
      exporter: { headers: { 'x-api-key': 'abc==', tenant: 'eu' } },
      serviceName: 'from-attributes',
      resourceAttributes: { 'deployment.environment.name': 'prod' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    expect(settingsOf({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'edge-ingest', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' })).toMatchObject({
      serviceName: 'edge-ingest',
    });
  });

  it('refuse malformed values', () => {
    expect(() => configSchema.parse({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow();
    expect(() => configSchema.parse({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow();
    expect(() => configSchema.parse({ OTEL_RESOURCE_ATTRIBUTES: 'no-equals-sign' })).toThrow();
  });
});
