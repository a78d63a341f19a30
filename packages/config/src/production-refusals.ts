import { REDIS_TARGET_KEYS } from './redis-target';
import type { ConfigKey } from './schema';
import { SERVICE_VARIABLES, variablesUsedAs, type ServiceName } from './service-variables';

/** The embedded S3 server's fixed key pair (scripts/local-start.ts, the tests). */
const DEVELOPMENT_S3_KEY = 'S3RVER';
/** A generated secret (openssl rand -base64 32) has about 25 different characters; a typed one far fewer. */
const MIN_DISTINCT_SECRET_CHARACTERS = 12;

/**
 * What NODE_ENV=production refuses: development defaults (localhost URLs, the embedded S3 server's
 * keys), plain-http URLs handed to browsers and providers, the superuser as the services' database
 * role, and secrets typed by hand. Works on the raw environment, so these problems are reported
 * together with the schema's.
 */
export function productionProblems(service: ServiceName, env: NodeJS.ProcessEnv): string[] {
  const reads = (key: ConfigKey) => SERVICE_VARIABLES[key].services[service] !== undefined;
  const value = (key: ConfigKey) => (env[key] === '' ? undefined : env[key]);
  const problems: string[] = [];

  for (const key of variablesUsedAs(service, 'production')) {
    if (value(key) === undefined) problems.push(`${key}: required when NODE_ENV=production (its default is for local development)`);
  }
  if (reads('REDIS_URL') && REDIS_TARGET_KEYS.every((key) => value(key) === undefined))
    problems.push(`${REDIS_TARGET_KEYS.join(', ')}: one is required when NODE_ENV=production (the default is a local Redis)`);
  for (const key of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    if (reads(key) && value(key) === DEVELOPMENT_S3_KEY) problems.push(`${key}: the embedded S3 server's development key is refused when NODE_ENV=production`);
  }

  const playbackMode = value('PLAYBACK_MODE') ?? 's3';
  const publicUrls: Array<[ConfigKey, string | undefined]> = [['PUBLIC_BASE_URL', value('PUBLIC_BASE_URL')]];
  if (playbackMode === 'gateway') {
    if (reads('GATEWAY_PUBLIC_URL') && value('GATEWAY_PUBLIC_URL') === undefined)
      problems.push('GATEWAY_PUBLIC_URL: required when NODE_ENV=production and PLAYBACK_MODE=gateway');
    publicUrls.push(['GATEWAY_PUBLIC_URL', value('GATEWAY_PUBLIC_URL')]);
  } else {
    // Presigned URLs point at the public endpoint, or at the only endpoint there is.
    publicUrls.push(['S3_PUBLIC_ENDPOINT', value('S3_PUBLIC_ENDPOINT') ?? value('S3_ENDPOINT')]);
  }
  for (const [key, url] of publicUrls) {
    if (reads(key) && url?.startsWith('http://')) {
      problems.push(`${key}: must be an https URL when NODE_ENV=production (browsers and providers reach it over the internet)`);
    }
  }

  for (const key of ['DATABASE_APP_URL', 'DATABASE_READ_URL'] as const) {
    const url = value(key);
    if (reads(key) && url !== undefined && URL.canParse(url) && decodeURIComponent(new URL(url).username) === 'postgres') {
      problems.push(`${key}: connects as the superuser postgres; use the app role (callvault_app) so row-level security applies`);
    }
  }
  for (const key of ['TAG_SIGNING_KEY', 'AUTH_JWT_SECRET'] as const) {
    const secret = value(key);
    if (reads(key) && secret !== undefined && new Set(secret).size < MIN_DISTINCT_SECRET_CHARACTERS) {
      problems.push(
        `${key}: too weak for production (fewer than ${MIN_DISTINCT_SECRET_CHARACTERS} different characters); generate one with openssl rand -base64 32`,
      );
    }
  }
  return problems;
}
