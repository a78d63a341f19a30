import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './load-config';
import { parseServiceConfig } from './load-service-config';
import { SERVICE_NAMES, variablesOf, type ServiceName } from './service-variables';

const strong = (seed: string) => `${seed}-Zq8xN3vR7tLm2pWc9sKd4fHj6gBy1aEu`;

/** What a production deployment sets, per variable; each service is given only its own. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://callvault_owner:pw@db.internal:5432/callvault',
  DATABASE_APP_URL: 'postgres://callvault_app:pw@db.internal:5432/callvault',
  REDIS_URL: 'redis://:pw@redis.internal:6379',
  S3_ENDPOINT: 'http://s3.internal:8333',
  S3_ACCESS_KEY_ID: 'callvault',
  S3_SECRET_ACCESS_KEY: strong('s3'),
  PUBLIC_BASE_URL: 'https://ingest.example.com',
  GATEWAY_PUBLIC_URL: 'https://api.example.com',
  PLAYBACK_MODE: 'gateway',
  SECRETS_KEY: 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  TAG_SIGNING_KEY: strong('tag'),
  AUTH_JWT_SECRET: strong('jwt'),
};
const productionEnvOf = (service: ServiceName) => Object.fromEntries(variablesOf(service).flatMap((key) => (PRODUCTION[key] ? [[key, PRODUCTION[key]]] : [])));

function problemsOf(service: ServiceName, env: NodeJS.ProcessEnv): string[] {
  try {
    parseServiceConfig(service, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseServiceConfig', () => {
  it.each(SERVICE_NAMES)('accepts a production configuration of only the variables %s reads', (service) => {
    expect(problemsOf(service, productionEnvOf(service))).toEqual([]);
  });

  it('requires what each service needs and nothing else', () => {
    expect(problemsOf('gateway', {})).toEqual(['SECRETS_KEY: required', 'TAG_SIGNING_KEY: required', 'AUTH_JWT_SECRET or AUTH_JWKS_URL: one is required']);
    expect(problemsOf('recording-fetcher', {})).toEqual(['SECRETS_KEY: required']);
    expect(problemsOf('analytics', {})).toEqual([]);
  });

  it('reports a bad PORT and a missing key together, and refuses URLs of the wrong scheme', () => {
    const problems = problemsOf('ingest', {
      PORT: 'http',
      SECRETS_KEY: PRODUCTION.SECRETS_KEY,
      REDIS_URL: 'localhost:6379',
      DATABASE_APP_URL: 'http://db/callvault',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['DATABASE_APP_URL', 'PORT', 'REDIS_URL', 'TAG_SIGNING_KEY']);
    expect(problems.join('\n')).toContain('expected a redis:// or rediss:// URL');
  });

  it('reads secrets from <NAME>_FILE, without the trailing newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callvault-config-'));
    writeFileSync(join(dir, 'tag'), `${strong('file')}\n`);
    const config = parseServiceConfig('gateway', {
      SECRETS_KEY: PRODUCTION.SECRETS_KEY,
      TAG_SIGNING_KEY_FILE: join(dir, 'tag'),
      AUTH_JWKS_URL: 'https://idp.example.com/jwks',
    });
    expect(config.TAG_SIGNING_KEY).toBe(strong('file'));
  });

  it('refuses a secret given twice and an unreadable or empty file; a non-secret has no _FILE (PORT_FILE is not read)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callvault-config-'));
    writeFileSync(join(dir, 'empty'), '\n');
    const problems = problemsOf('gateway', {
      SECRETS_KEY: PRODUCTION.SECRETS_KEY,
      SECRETS_KEY_FILE: join(dir, 'empty'),
      TAG_SIGNING_KEY_FILE: join(dir, 'missing'),
      AUTH_JWT_SECRET_FILE: join(dir, 'empty'),
      PORT_FILE: join(dir, 'empty'),
    });
    expect(problems).toEqual([
      'SECRETS_KEY: set SECRETS_KEY or SECRETS_KEY_FILE, not both',
      `TAG_SIGNING_KEY_FILE: cannot read ${join(dir, 'missing')} (ENOENT)`,
      `AUTH_JWT_SECRET_FILE: ${join(dir, 'empty')} is empty`,
      'TAG_SIGNING_KEY: required',
      'AUTH_JWT_SECRET or AUTH_JWKS_URL: one is required',
    ]);
  });

  it('refuses development defaults in production, all named in one error', () => {
    const problems = problemsOf('gateway', { NODE_ENV: 'production', SECRETS_KEY: PRODUCTION.SECRETS_KEY, TAG_SIGNING_KEY: PRODUCTION.TAG_SIGNING_KEY });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'AUTH_JWT_SECRET or AUTH_JWKS_URL',
      'DATABASE_APP_URL',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
      'PUBLIC_BASE_URL',
      'REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS',
    ]);
  });

  it('refuses the embedded S3 keys, http public URLs, the superuser and typed secrets in production', () => {
    const env = {
      ...productionEnvOf('gateway'),
      S3_ACCESS_KEY_ID: 'S3RVER',
      PUBLIC_BASE_URL: 'http://ingest.example.com',
      GATEWAY_PUBLIC_URL: 'http://api.example.com',
      DATABASE_APP_URL: 'postgres://postgres:pw@db.internal:5432/callvault',
      AUTH_JWT_SECRET: 'changeme'.repeat(5),
    };
    expect(problemsOf('gateway', env).map((problem) => problem.split(':')[0])).toEqual([
      'S3_ACCESS_KEY_ID',
      'PUBLIC_BASE_URL',
      'GATEWAY_PUBLIC_URL',
      'DATABASE_APP_URL',
      'AUTH_JWT_SECRET',
    ]);
    expect(problemsOf('gateway', { ...env, NODE_ENV: 'development' })).toEqual([]);
  });

  it('refuses presigned playback over http in production, and accepts it from an https endpoint', () => {
    const env = { ...productionEnvOf('gateway'), PLAYBACK_MODE: 's3' };
    expect(problemsOf('gateway', env)).toEqual([expect.stringMatching(/^S3_PUBLIC_ENDPOINT: must be an https URL/)]);
    expect(problemsOf('gateway', { ...env, S3_PUBLIC_ENDPOINT: 'https://media.example.com' })).toEqual([]);
  });
});

/**
 * DATABASE_READ_URL carries every list, search and stats read of the gateway: as the superuser,
 * row-level security would not apply there, so production refuses it as it refuses such a
 * DATABASE_APP_URL. And the lag the replica may have must stay below a company's pin.
 */
describe('the gateway read replica', () => {
  const replica = { ...productionEnvOf('gateway'), DATABASE_READ_URL: 'postgres://callvault_app:pw@replica.internal:5432/callvault' };

  it('is accepted as the app role and refused as the superuser postgres in production', () => {
    expect(problemsOf('gateway', replica)).toEqual([]);
    expect(problemsOf('gateway', { ...replica, DATABASE_READ_URL: 'postgres://postgres:pw@replica.internal:5432/callvault' })).toEqual([
      expect.stringMatching(/^DATABASE_READ_URL: connects as the superuser postgres/),
    ]);
  });

  it('may lag only less than DATABASE_READ_PIN_SECONDS', () => {
    expect(problemsOf('gateway', { ...replica, DATABASE_READ_PIN_SECONDS: '10', DATABASE_READ_MAX_LAG_SECONDS: '9.5' })).toEqual([]);
    expect(problemsOf('gateway', { ...replica, DATABASE_READ_PIN_SECONDS: '10', DATABASE_READ_MAX_LAG_SECONDS: '10' })).toEqual([
      expect.stringMatching(/^DATABASE_READ_MAX_LAG_SECONDS: must be below DATABASE_READ_PIN_SECONDS/),
    ]);
  });
});
