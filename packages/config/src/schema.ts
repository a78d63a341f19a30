import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const port = z.coerce.number().int().min(0).max(65535);

/**
 * A URL whose scheme is one of `schemes`. A bare `localhost:6379` parses as a URL with the scheme
 * `localhost:`, so the scheme is what tells a mistyped value from a good one.
 */
const urlOf = (...schemes: string[]) =>
  z
    .string()
    .url()
    .refine((value) => !URL.canParse(value) || schemes.includes(new URL(value).protocol.slice(0, -1)), {
      message: `expected a ${schemes.join(':// or ')}:// URL`,
    });

const url = urlOf('http', 'https');
const postgresUrl = urlOf('postgres', 'postgresql');
const redisUrl = urlOf('redis', 'rediss');

const isRedisUrl = (entry: string) => URL.canParse(entry) && ['redis:', 'rediss:'].includes(new URL(entry).protocol);

const credentialsOf = (entry: string) => {
  const parsed = new URL(entry);
  return `${parsed.protocol}${parsed.username}:${parsed.password}`;
};

/**
 * Comma-separated redis:// or rediss:// URLs of the servers of one cluster or one Sentinel group.
 * They share one scheme and one set of credentials: ioredis reaches every node (also those it
 * discovers) with the same TLS and password, so a list that disagrees is a mistake to report.
 */
const redisUrlList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  )
  .pipe(z.array(redisUrl).min(1))
  // Checked only once every entry is a redis URL (zod runs refinements after element issues too).
  .refine(
    (urls) => !urls.every(isRedisUrl) || new Set(urls.map((entry) => credentialsOf(entry))).size <= 1,
    'every URL must use the same scheme, user and password',
  )
  .refine(
    (urls) => !urls.every(isRedisUrl) || urls.every((entry) => ['', '/', '/0'].includes(new URL(entry).pathname)),
    'no database number: a cluster has database 0 only, and Sentinels none (give the database in REDIS_SENTINEL_MASTER)',
  );

/** The master's name as the Sentinels monitor it, alone or as the host of a URL carrying its password, TLS and database. */
const sentinelMaster = z
  .string()
  .trim()
  .transform((value) => (value.includes('://') ? value : `redis://${value}`))
  .pipe(redisUrl)
  .refine((value) => !isRedisUrl(value) || new URL(value).port === '', 'expected a master name, not host:port (e.g. mymaster or redis://:password@mymaster/0)')
  .refine(
    (value) => !isRedisUrl(value) || /^(\/\d{0,2})?$/.test(new URL(value).pathname),
    'expected an optional database number after the name (e.g. redis://:password@mymaster/0)',
  );

/**
 * Fastify's trustProxy: `true` (every hop), a number of hops, or the proxies' addresses/CIDRs,
 * comma-separated. Unset: no proxy is trusted and the client address is the socket's.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d{1,2}$/.test(value) ? Number(value) : value))
  .pipe(
    z.union([
      z.boolean(),
      z.number().int().min(1).max(32),
      z.string().regex(/^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/, 'expected true, a hop count, or comma-separated proxy addresses/CIDRs'),
    ]),
  );

/** host or host:port, lower-cased; the fetcher compares against exactly this form. */
const hostList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter((host) => host.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'expected host or host:port')).min(1));

/**
 * `model:input:output` entries, comma-separated: USD per million prompt (input) and completion
 * (output) tokens. A model name may itself hold colons (`llama3.1:8b`): the last two fields are the prices.
 */
const modelPrices = z.string().transform((value, context) => {
  const prices: Array<{ model: string; inputPerMillion: number; outputPerMillion: number }> = [];
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)) {
    const fields = entry.split(':');
    const [input, output] = fields.slice(-2).map(Number);
    const model = fields.slice(0, -2).join(':').trim();
    if (fields.length < 3 || !model || !Number.isFinite(input) || !Number.isFinite(output) || input! < 0 || output! < 0) {
      context.addIssue({ code: 'custom', message: `expected model:input:output (USD per million tokens), got "${entry}"` });
      return z.NEVER;
    }
    prices.push({ model, inputPerMillion: input!, outputPerMillion: output! });
  }
  return prices;
});

/**
 * Browser origins, comma-separated, each exactly as a browser sends it in `Origin`: scheme, host
 * and port only (`https://crm.example.com`), no path, no trailing slash, no wildcard.
 */
const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (origin) => URL.canParse(origin) && ['http:', 'https:'].includes(new URL(origin).protocol) && new URL(origin).origin === origin,
          'expected an origin such as https://crm.example.com (scheme, lower-case host and port only)',
        ),
    ),
  );

/**
 * `key=value` pairs, comma-separated, values percent-encoded: the W3C Baggage form that
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use.
 */
const keyValueList = z.string().transform((value, context) => {
  const pairs: Record<string, string> = {};
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)) {
    const equals = entry.indexOf('=');
    const key = equals > 0 ? entry.slice(0, equals).trim() : '';
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      decoded = undefined;
    }
    if (!key || decoded === undefined) {
      context.addIssue({ code: 'custom', message: 'expected key=value pairs, comma-separated, values percent-encoded' });
      return z.NEVER;
    }
    pairs[key] = decoded;
  }
  return pairs;
});

/**
 * Every variable callvault reads, with its local default. The docs' configuration
 * reference is generated from the descriptions here, so they are written for operators.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('Runtime mode.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface the HTTP server binds (use 0.0.0.0 in containers).'),
  PORT: port
    .optional()
    .describe("Overrides the service's default port (gateway 3000, ingest 3001, recording-fetcher 3002, transcriber 3003, analytics 3004, operations 3005)."),

  DATABASE_URL: postgresUrl
    .default('postgres://postgres@127.0.0.1:5432/callvault')
    .describe('Postgres URL of the schema owner: used by migrations and the CLI only.'),
  DATABASE_APP_URL: postgresUrl
    .optional()
    .describe(
      'Postgres URL the services use: a role that does not own the tables, so row-level security applies. Default: DATABASE_URL with the user callvault_app.',
    ),
  DATABASE_APP_PASSWORD: z.string().optional().describe('Password the migration sets on the callvault_app role (unset: no password, for trust auth).'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10).describe('Connections per process.'),
  DATABASE_READ_URL: postgresUrl
    .optional()
    .describe(
      "Postgres URL of a streaming replica (the services' role) for the gateway's lists, search and stats. Unset: every read goes to DATABASE_APP_URL. A caller's reads stay on the primary for DATABASE_READ_PIN_SECONDS after each of its writes.",
    ),
  DATABASE_READ_PIN_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(15)
    .describe(
      "Seconds a company's reads stay on the primary after a write through the gateway (so everyone in it reads the write; the pin is kept in Redis, shared by every gateway replica). Must exceed DATABASE_READ_MAX_LAG_SECONDS.",
    ),
  DATABASE_READ_MAX_LAG_SECONDS: z.coerce
    .number()
    .min(0.5)
    .max(3600)
    .default(5)
    .describe(
      'The replica serves reads only while it is at most this many seconds behind the primary (measured by the gateway every 0.5 s); writes not made through the gateway show on lists at most this late.',
    ),

  REDIS_URL: redisUrl
    .optional()
    .describe(
      'One Redis server for the queues and the shared counters (maxmemory-policy noeviction): redis[s]://[[user]:password@]host:port[/db]. Unset together with REDIS_CLUSTER_NODES and REDIS_SENTINELS: redis://127.0.0.1:6379. Set only one of the three.',
    ),
  REDIS_CLUSTER_NODES: redisUrlList
    .optional()
    .describe(
      'A Redis Cluster instead: comma-separated redis[s]://[[user]:password@]host:port URLs of some of its nodes (the others are discovered), all with the same credentials. Each queue keeps its keys in one hash slot (`<QUEUE_PREFIX>:{<queue>}`).',
    ),
  REDIS_SENTINELS: redisUrlList
    .optional()
    .describe(
      'A Sentinel-managed master instead: comma-separated redis[s]://[[user]:password@]host:port URLs of the Sentinels (their own credentials and TLS). Needs REDIS_SENTINEL_MASTER.',
    ),
  REDIS_SENTINEL_MASTER: sentinelMaster
    .optional()
    .describe(
      "With REDIS_SENTINELS: the master's name as the Sentinels monitor it (`mymaster`), or a URL whose host is that name and which carries the master's password, TLS and database (`rediss://:password@mymaster/0`).",
    ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('callvault')
    .describe('Key prefix of the queues and counters in Redis (on a cluster the hash tags are added after it, never written here).'),

  S3_ENDPOINT: url.optional().describe('S3-compatible endpoint; unset for AWS, or for the embedded server of the local start.'),
  S3_PUBLIC_ENDPOINT: url
    .optional()
    .describe('Endpoint used when signing playback URLs, when browsers reach storage at another address. Default: S3_ENDPOINT.'),
  S3_REGION: z.string().min(1).default('us-east-1').describe('S3 region.'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .default('callvault-recordings')
    .describe('Bucket holding every recording.'),
  S3_ACCESS_KEY_ID: z.string().min(1).default('S3RVER').describe('S3 access key id.'),
  S3_SECRET_ACCESS_KEY: z.string().min(1).default('S3RVER').describe('S3 secret access key.'),
  S3_FORCE_PATH_STYLE: bool.default(true).describe('Path-style addressing (MinIO and most self-hosted stores need it).'),
  S3_SSE: z.enum(['AES256', 'aws:kms']).optional().describe('Server-side encryption header sent with every upload.'),
  S3_SSE_KMS_KEY_ID: z.string().optional().describe('KMS key id when S3_SSE=aws:kms.'),

  PUBLIC_BASE_URL: url
    .default('http://127.0.0.1:3001')
    .transform((value) => value.replace(/\/+$/, ''))
    .describe('The ingest URL exactly as configured at Twilio/VAPI; webhook signatures are checked against it.'),
  SECRETS_KEY: z
    .string()
    .optional()
    .describe('Keys encrypting provider credentials at rest: "kid:base64key[,kid:base64key...]" (first encrypts, all decrypt) or one base64 32-byte key.'),
  TAG_SIGNING_KEY: z.string().min(32).optional().describe('HMAC key for our own signed tenant tags (at least 32 characters).'),
  AUTH_JWT_SECRET: z.string().min(32).optional().describe('HS256 secret for self-hosted/dev tokens (at least 32 characters).'),
  AUTH_JWKS_URL: url.optional().describe('JWKS of an identity provider; tokens are then verified with RS256/ES256.'),
  AUTH_ISSUER: z.string().optional().describe('Expected `iss` claim.'),
  AUTH_AUDIENCE: z.string().optional().describe('Expected `aud` claim.'),
  OIDC_ISSUER_URL: url
    .optional()
    .describe(
      'OpenID Connect issuer the dashboard signs people in with (authorization code + PKCE); needs OIDC_CLIENT_ID and AUTH_JWKS_URL. Unset: the dashboard offers the development sign-in (a pasted token).',
    ),
  OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe("The dashboard's client id at the OIDC issuer (a public client: no secret; redirect URI <gateway>/app/callback)."),
  OIDC_SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'expected space-separated scopes')
    .default('openid profile email')
    .describe('Scopes the dashboard asks the OIDC issuer for.'),
  OIDC_AUDIENCE: z
    .string()
    .min(1)
    .optional()
    .describe(
      '`audience`/`resource` the dashboard asks the issuer to put in its access token (usually AUTH_AUDIENCE), for issuers that need it to issue a JWT.',
    ),
  BOOTSTRAP_SUPERADMIN_SUBJECT: z.string().min(1).optional().describe('JWT `sub` created as superadmin on gateway start if absent.'),

  TWILIO_API_BASE_URL: url
    .default('https://api.twilio.com')
    .transform((v) => v.replace(/\/+$/, ''))
    .describe('Twilio REST base.'),
  VAPI_API_BASE_URL: url
    .default('https://api.vapi.ai')
    .transform((v) => v.replace(/\/+$/, ''))
    .describe('VAPI REST base.'),
  DEEPGRAM_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('Deepgram key for speech-to-text of recordings without a provider transcript (unset: such transcripts are `unavailable`).'),
  DEEPGRAM_API_BASE_URL: url
    .default('https://api.deepgram.com')
    .transform((v) => v.replace(/\/+$/, ''))
    .describe('Deepgram API base.'),
  INTELLIGENCE_BASE_URL: url
    .optional()
    .transform((v) => v?.replace(/\/+$/, ''))
    .describe(
      'Base URL of an OpenAI-compatible Chat Completions server for call analysis, up to and including `/v1` (OpenAI `https://api.openai.com/v1`, Azure OpenAI `https://<resource>.openai.azure.com/openai/v1`, vLLM, Ollama, LM Studio). Unset: only companies with a model server of their own get analyses.',
    ),
  INTELLIGENCE_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('Key for INTELLIGENCE_BASE_URL (sent as a Bearer token; as `api-key` to Azure OpenAI). Unset for servers without one.'),
  INTELLIGENCE_MODEL: z.string().min(1).max(200).optional().describe('Model (Azure: deployment) name for call analysis on INTELLIGENCE_BASE_URL.'),
  INTELLIGENCE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .default(120)
    .describe('Upper bound for one model request; a timeout is retried with backoff.'),
  INTELLIGENCE_PRIVATE_HOSTS: hostList
    .default([])
    .describe(
      "Comma-separated host names a company's own model server may have although they resolve to private addresses (a model server inside your network). Every other private, loopback or link-local destination of a company-named server is refused; INTELLIGENCE_BASE_URL, named by you, is not restricted.",
    ),
  INTELLIGENCE_PRICE_PER_MILLION_TOKENS: modelPrices
    .default([])
    .describe(
      'Prices for the model-usage stats, `model:input:output` comma-separated, in USD per million prompt and completion tokens (`gpt-4o-mini:0.15:0.6,llama3.1:8b:0:0`). A model not listed shows its tokens with cost unknown (null).',
    ),
  SPEECH_TO_TEXT_BASE_URL: url
    .optional()
    .transform((v) => v?.replace(/\/+$/, ''))
    .describe(
      'Base URL of an OpenAI-compatible speech-to-text server (`POST {base}/audio/transcriptions`: OpenAI, a self-hosted Whisper server), up to and including `/v1`. Companies that choose `openai` are transcribed here; unset: their transcripts are `unavailable`.',
    ),
  SPEECH_TO_TEXT_API_KEY: z.string().min(1).optional().describe('Bearer key for SPEECH_TO_TEXT_BASE_URL; unset for servers without one.'),
  SPEECH_TO_TEXT_MODEL: z.string().min(1).max(200).default('whisper-1').describe('Model name sent to SPEECH_TO_TEXT_BASE_URL.'),
  MEDIA_FETCH_ALLOWED_HOSTS: hostList
    .default(['api.twilio.com', 'api.vapi.ai', 'storage.vapi.ai'])
    .describe('Comma-separated host[:port] list the fetcher may download media from, after every redirect too.'),
  WEBHOOK_PRIVATE_HOSTS: hostList
    .default([])
    .describe(
      'Comma-separated host names outbound webhooks may reach although they resolve to private addresses (a receiver inside your network). Every other private, loopback or link-local destination is refused.',
    ),
  FETCH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(600).describe('Upper bound for one media download.'),
  FETCHER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4).describe('Recordings archived at once per fetcher process.'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2).describe('Jobs at once per transcriber/analytics process.'),

  WEBHOOK_PAYLOAD_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe(
      'Days a stored provider webhook keeps its content (transcripts, summaries, numbers) after its effects are applied (or, for rejected and quarantined events, after arrival); then only its ids, keys and times remain.',
    ),
  WEBHOOK_EVENT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(7)
    .max(3650)
    .default(90)
    .describe(
      'Days a stored provider webhook (by then only ids, keys and times) is kept before its month is dropped; its idempotency key deduplicates retries for that long. Events still to apply and quarantined ones are kept past their month.',
    ),
  SYNC_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1440)
    .default(15)
    .describe('How often the operations service reconciles every company with its providers (0: only on request).'),
  WORKER_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(5)
    .max(600)
    .default(30)
    .describe('Job lock of the workers: a worker that dies holds its jobs for up to twice this before another takes them over.'),
  FETCH_REDRIVE_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(600)
    .describe(
      'The operations service records again the fetch of a recording still pending/fetching this long after its fetch was decided, and the transcription and analytics of one stored this long ago without them (jobs lost with Redis).',
    ),
  COMPANY_RETENTION_MIN_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(1)
    .describe('Shortest retentionDays a company admin may set for their own company (a superadmin is not bound).'),
  COMPANY_RETENTION_MAX_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(3650)
    .describe('Longest retentionDays a company admin may set for their own company; only a superadmin may keep recordings forever (null).'),
  PRINCIPAL_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .default(5)
    .describe(
      "How long a gateway replica reuses a caller's user, role and reports before reading them again (0: every request). A change made through this replica applies at once; on other replicas within this bound.",
    ),
  PLAYBACK_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300).describe('Lifetime of signed playback URLs (max 3600).'),
  PLAYBACK_MODE: z.enum(['s3', 'gateway']).default('s3').describe('s3: presigned storage URLs; gateway: HMAC-token media URLs served by the gateway.'),
  GATEWAY_PUBLIC_URL: url
    .default('http://127.0.0.1:3000')
    .transform((v) => v.replace(/\/+$/, ''))
    .describe('Base of gateway media URLs (PLAYBACK_MODE=gateway).'),
  TRUST_PROXY: trustProxy
    .optional()
    .describe(
      "Proxies in front of the gateway whose X-Forwarded-For is believed (true, a hop count, or addresses/CIDRs): audit events then record the client address, not the proxy's.",
    ),
  CORS_ALLOWED_ORIGINS: originList
    .default([])
    .describe(
      'Browser origins (comma-separated, e.g. https://crm.example.com) allowed to call /v1 with a bearer token through CORS. Empty: no cross-origin access.',
    ),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(600)
    .describe(
      'Requests a minute on /v1 per user, per API key and per superadmin, counted in Redis so every gateway replica shares one budget. While Redis is unreachable the limit is not applied (see callvault_rate_limit_store_errors_total).',
    ),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(25).describe('Deadline for a graceful stop after SIGTERM.'),

  // OpenTelemetry's own variables, read as its specification says; tracing is off unless an exporter is named or an endpoint set.
  OTEL_SDK_DISABLED: bool.default(false).describe('true: no traces, whatever else is set (OpenTelemetry).'),
  OTEL_TRACES_EXPORTER: z
    .enum(['otlp', 'console', 'none'])
    .optional()
    .describe(
      'Where spans go: otlp (http/protobuf to OTEL_EXPORTER_OTLP_ENDPOINT), console (stdout, for a look), none. Unset: otlp when an OTLP endpoint is set, else tracing is off.',
    ),
  OTEL_EXPORTER_OTLP_ENDPOINT: url
    .optional()
    .describe('Base URL of the OTLP/HTTP collector (e.g. http://otel-collector:4318); traces go to its /v1/traces. Setting it turns tracing on.'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url
    .optional()
    .describe('Full URL traces are sent to, used as given (overrides OTEL_EXPORTER_OTLP_ENDPOINT). Setting it turns tracing on.'),
  OTEL_EXPORTER_OTLP_HEADERS: keyValueList.optional().describe("Headers sent with every export, key=value pairs comma-separated (a collector's API key)."),
  OTEL_SERVICE_NAME: z.string().min(1).optional().describe('service.name of the spans. Default: callvault-<service> (callvault-ingest, ...).'),
  OTEL_RESOURCE_ATTRIBUTES: keyValueList
    .optional()
    .describe('More resource attributes of every span, key=value pairs comma-separated (deployment.environment.name=prod,service.namespace=eu).'),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on')
    .describe('Which traces are recorded. parentbased_*: a job or request follows the decision of the trace it continues.'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('The ratio of traces kept by traceidratio and parentbased_traceidratio (default 1).'),
});

export type RawConfig = z.output<typeof configSchema>;

export type ConfigKey = keyof RawConfig;
