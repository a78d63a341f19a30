import type { ConfigKey } from './schema';

/** Every process that reads the configuration: the six services and the operator CLI. */
export const SERVICE_NAMES = ['gateway', 'ingest', 'recording-fetcher', 'transcriber', 'analytics', 'operations', 'cli'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * How a service uses a variable:
 * - `optional`: read, with the schema's default when unset;
 * - `required`: the process refuses to start without it;
 * - `production`: the default is a local-development value (a localhost URL, the embedded S3
 *   server's keys), so it must be set when NODE_ENV=production.
 */
export type Use = 'optional' | 'required' | 'production';

export interface VariableUse {
  /** Carries a credential: may be given as `<NAME>_FILE` (a Docker secret) and is never logged. */
  secret: boolean;
  services: Partial<Record<ServiceName, Use>>;
}

const every = (use: Use, names: readonly ServiceName[]) => Object.fromEntries(names.map((name) => [name, use])) as Partial<Record<ServiceName, Use>>;

const SERVICES = ['gateway', 'ingest', 'recording-fetcher', 'transcriber', 'analytics', 'operations'] as const;
const WORKERS = ['recording-fetcher', 'transcriber', 'analytics', 'operations'] as const;
/** Processes that read or write recordings in object storage (ingest only stores events). */
const STORAGE = ['gateway', 'recording-fetcher', 'transcriber', 'analytics', 'operations'] as const;

/**
 * Which process reads which variable. The compose file, the per-service start test and
 * docs/configuration.md are checked against this table; the schema says what a value may be.
 */
export const SERVICE_VARIABLES: Record<ConfigKey, VariableUse> = {
  NODE_ENV: { secret: false, services: every('optional', SERVICE_NAMES) },
  LOG_LEVEL: { secret: false, services: every('optional', SERVICES) },
  HOST: { secret: false, services: every('optional', SERVICES) },
  PORT: { secret: false, services: every('optional', SERVICES) },

  DATABASE_URL: { secret: true, services: { cli: 'production' } },
  DATABASE_APP_URL: { secret: true, services: every('production', SERVICE_NAMES) },
  DATABASE_APP_PASSWORD: { secret: true, services: { cli: 'optional' } },
  DATABASE_POOL_SIZE: { secret: false, services: every('optional', SERVICES) },

  // One of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS must be set in production (production-refusals.ts).
  REDIS_URL: { secret: true, services: every('optional', SERVICES) },
  REDIS_CLUSTER_NODES: { secret: true, services: every('optional', SERVICES) },
  REDIS_SENTINELS: { secret: true, services: every('optional', SERVICES) },
  REDIS_SENTINEL_MASTER: { secret: true, services: every('optional', SERVICES) },
  QUEUE_PREFIX: { secret: false, services: every('optional', SERVICES) },

  S3_ENDPOINT: { secret: false, services: every('optional', STORAGE) },
  S3_PUBLIC_ENDPOINT: { secret: false, services: { gateway: 'optional' } },
  S3_REGION: { secret: false, services: every('optional', STORAGE) },
  S3_BUCKET: { secret: false, services: every('optional', STORAGE) },
  S3_ACCESS_KEY_ID: { secret: true, services: every('production', STORAGE) },
  S3_SECRET_ACCESS_KEY: { secret: true, services: every('production', STORAGE) },
  S3_FORCE_PATH_STYLE: { secret: false, services: every('optional', STORAGE) },
  S3_SSE: { secret: false, services: every('optional', STORAGE) },
  S3_SSE_KMS_KEY_ID: { secret: false, services: every('optional', STORAGE) },

  PUBLIC_BASE_URL: { secret: false, services: { gateway: 'production', ingest: 'production' } },
  SECRETS_KEY: {
    secret: true,
    services: { gateway: 'required', ingest: 'required', 'recording-fetcher': 'required', operations: 'required', transcriber: 'optional', cli: 'optional' },
  },
  TAG_SIGNING_KEY: { secret: true, services: { gateway: 'required', ingest: 'required', operations: 'required' } },
  AUTH_JWT_SECRET: { secret: true, services: { gateway: 'optional', cli: 'optional' } },
  AUTH_JWKS_URL: { secret: false, services: { gateway: 'optional' } },
  AUTH_ISSUER: { secret: false, services: { gateway: 'optional', cli: 'optional' } },
  AUTH_AUDIENCE: { secret: false, services: { gateway: 'optional', cli: 'optional' } },
  BOOTSTRAP_SUPERADMIN_SUBJECT: { secret: false, services: { gateway: 'optional' } },
  OIDC_ISSUER_URL: { secret: false, services: { gateway: 'optional' } },
  OIDC_CLIENT_ID: { secret: false, services: { gateway: 'optional' } },
  OIDC_SCOPES: { secret: false, services: { gateway: 'optional' } },
  OIDC_AUDIENCE: { secret: false, services: { gateway: 'optional' } },

  TWILIO_API_BASE_URL: { secret: false, services: { gateway: 'optional', 'recording-fetcher': 'optional', operations: 'optional', cli: 'optional' } },
  VAPI_API_BASE_URL: { secret: false, services: { gateway: 'optional', 'recording-fetcher': 'optional', cli: 'optional' } },
  DEEPGRAM_API_KEY: { secret: true, services: { transcriber: 'optional' } },
  DEEPGRAM_API_BASE_URL: { secret: false, services: { transcriber: 'optional' } },
  INTELLIGENCE_BASE_URL: { secret: false, services: { transcriber: 'optional' } },
  INTELLIGENCE_API_KEY: { secret: true, services: { transcriber: 'optional' } },
  INTELLIGENCE_MODEL: { secret: false, services: { transcriber: 'optional' } },
  INTELLIGENCE_TIMEOUT_SECONDS: { secret: false, services: { transcriber: 'optional' } },
  INTELLIGENCE_PRIVATE_HOSTS: { secret: false, services: { transcriber: 'optional' } },
  INTELLIGENCE_PRICE_PER_MILLION_TOKENS: { secret: false, services: { gateway: 'optional' } },
  SPEECH_TO_TEXT_BASE_URL: { secret: false, services: { transcriber: 'optional' } },
  SPEECH_TO_TEXT_API_KEY: { secret: true, services: { transcriber: 'optional' } },
  SPEECH_TO_TEXT_MODEL: { secret: false, services: { transcriber: 'optional' } },
  MEDIA_FETCH_ALLOWED_HOSTS: { secret: false, services: { 'recording-fetcher': 'optional' } },
  FETCH_TIMEOUT_SECONDS: { secret: false, services: { 'recording-fetcher': 'optional' } },
  FETCHER_CONCURRENCY: { secret: false, services: { 'recording-fetcher': 'optional' } },
  WORKER_CONCURRENCY: { secret: false, services: { transcriber: 'optional', analytics: 'optional' } },

  SYNC_INTERVAL_MINUTES: { secret: false, services: { operations: 'optional' } },
  WEBHOOK_PAYLOAD_RETENTION_DAYS: { secret: false, services: { operations: 'optional' } },
  WEBHOOK_EVENT_RETENTION_DAYS: { secret: false, services: { operations: 'optional' } },
  WORKER_LOCK_SECONDS: { secret: false, services: every('optional', WORKERS) },
  FETCH_REDRIVE_AFTER_SECONDS: { secret: false, services: { operations: 'optional' } },
  WEBHOOK_PRIVATE_HOSTS: { secret: false, services: { operations: 'optional' } },
  COMPANY_RETENTION_MIN_DAYS: { secret: false, services: { gateway: 'optional' } },
  COMPANY_RETENTION_MAX_DAYS: { secret: false, services: { gateway: 'optional' } },
  PLAYBACK_URL_TTL_SECONDS: { secret: false, services: { gateway: 'optional' } },
  PRINCIPAL_CACHE_SECONDS: { secret: false, services: { gateway: 'optional' } },
  DATABASE_READ_URL: { secret: true, services: { gateway: 'optional' } },
  DATABASE_READ_PIN_SECONDS: { secret: false, services: { gateway: 'optional' } },
  DATABASE_READ_MAX_LAG_SECONDS: { secret: false, services: { gateway: 'optional' } },
  PLAYBACK_MODE: { secret: false, services: { gateway: 'optional' } },
  GATEWAY_PUBLIC_URL: { secret: false, services: { gateway: 'optional' } },
  TRUST_PROXY: { secret: false, services: { gateway: 'optional' } },
  CORS_ALLOWED_ORIGINS: { secret: false, services: { gateway: 'optional' } },
  RATE_LIMIT_PER_MINUTE: { secret: false, services: { gateway: 'optional' } },
  SHUTDOWN_GRACE_SECONDS: { secret: false, services: every('optional', SERVICES) },

  OTEL_SDK_DISABLED: { secret: false, services: every('optional', SERVICES) },
  OTEL_TRACES_EXPORTER: { secret: false, services: every('optional', SERVICES) },
  OTEL_EXPORTER_OTLP_ENDPOINT: { secret: false, services: every('optional', SERVICES) },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { secret: false, services: every('optional', SERVICES) },
  OTEL_EXPORTER_OTLP_HEADERS: { secret: true, services: every('optional', SERVICES) },
  OTEL_SERVICE_NAME: { secret: false, services: every('optional', SERVICES) },
  OTEL_RESOURCE_ATTRIBUTES: { secret: false, services: every('optional', SERVICES) },
  OTEL_TRACES_SAMPLER: { secret: false, services: every('optional', SERVICES) },
  OTEL_TRACES_SAMPLER_ARG: { secret: false, services: every('optional', SERVICES) },
};

/** Alternatives a service needs one of: the gateway verifies tokens with a shared secret or a JWKS. */
export const REQUIRED_ONE_OF: Partial<Record<ServiceName, ConfigKey[][]>> = {
  gateway: [['AUTH_JWT_SECRET', 'AUTH_JWKS_URL']],
};

/** The variables `service` reads, in the schema's order. */
export function variablesOf(service: ServiceName): ConfigKey[] {
  return (Object.keys(SERVICE_VARIABLES) as ConfigKey[]).filter((key) => SERVICE_VARIABLES[key].services[service] !== undefined);
}

/** The variables `service` reads under `use`. */
export function variablesUsedAs(service: ServiceName, use: Use): ConfigKey[] {
  return variablesOf(service).filter((key) => SERVICE_VARIABLES[key].services[service] === use);
}
