import { redisProblems } from './redis-target';
import { configSchema, type ConfigKey, type RawConfig } from './schema';

export type Config = Readonly<RawConfig & { DATABASE_APP_URL: string; S3_PUBLIC_ENDPOINT: string | undefined }>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The app role is the owner URL with another user: the owner runs migrations, the app role is bound by RLS. */
function deriveAppUrl(ownerUrl: string, password: string | undefined): string {
  const url = new URL(ownerUrl);
  url.username = 'callvault_app';
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

/**
 * Parses the environment once. Every bad or missing variable is reported in one error,
 * so an operator fixes them all in one go. `required` names variables this process needs.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, required: ConfigKey[] = []): Config {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const parsed = configSchema.safeParse(input);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  // Checked on the raw input too when parsing failed: a bad PORT must not hide a missing key.
  for (const key of required) {
    if ((parsed.success ? parsed.data[key] : input[key]) === undefined) problems.push(`${key}: required`);
  }
  if (parsed.success) problems.push(...oidcProblems(parsed.data), ...redisProblems(parsed.data), ...readReplicaProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const raw = parsed.data;
  return Object.freeze({
    ...raw,
    DATABASE_APP_URL: raw.DATABASE_APP_URL ?? deriveAppUrl(raw.DATABASE_URL, raw.DATABASE_APP_PASSWORD),
    S3_PUBLIC_ENDPOINT: raw.S3_PUBLIC_ENDPOINT ?? raw.S3_ENDPOINT,
  });
}

/**
 * A dashboard sign-in the gateway could not verify, or could not start, is refused at start:
 * the issuer's tokens are checked through its JWKS, and a sign-in needs the client id.
 */
function oidcProblems(raw: RawConfig): string[] {
  if (!raw.OIDC_ISSUER_URL) return [];
  return [
    ...(raw.OIDC_CLIENT_ID ? [] : ['OIDC_CLIENT_ID: required when OIDC_ISSUER_URL is set']),
    ...(raw.AUTH_JWKS_URL ? [] : ["AUTH_JWKS_URL: required when OIDC_ISSUER_URL is set (the gateway verifies the issuer's tokens through it)"]),
  ];
}

/** The pin must outlast the lag the replica may have, or a company could read past its own write. */
function readReplicaProblems(raw: RawConfig): string[] {
  if (!raw.DATABASE_READ_URL || raw.DATABASE_READ_MAX_LAG_SECONDS < raw.DATABASE_READ_PIN_SECONDS) return [];
  return [
    `DATABASE_READ_MAX_LAG_SECONDS: must be below DATABASE_READ_PIN_SECONDS (${raw.DATABASE_READ_MAX_LAG_SECONDS} is not below ${raw.DATABASE_READ_PIN_SECONDS}): a company's reads would return to the replica before it holds their write`,
  ];
}
