import { describe, expect, it } from 'vitest';
import { ConfigError } from './load-config';
import { parseServiceConfig } from './load-service-config';

/**
 * DATABASE_READ_URL carries every list, search and stats read of the gateway: as the superuser,
 * row-level security would not apply there, so production refuses it as it refuses such a
 * DATABASE_APP_URL. And the lag the replica may have must stay below a company's pin.
 */
const strong = (seed: string) => `${seed}-Zq8xN3vR7tLm2pWc9sKd4fHj6gBy1aEu`;
const gateway = {
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

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    parseServiceConfig('gateway', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('DATABASE_READ_URL in production', () => {
  it('accepts the replica as the app role', () => {
    expect(problemsOf({ ...gateway, DATABASE_READ_URL: 'postgres://callvault_app:pw@replica.internal:5432/callvault' })).toEqual([]);
  });

  it('refuses the replica as the superuser postgres (row-level security would not apply to lists, search and stats)', () => {
    const problems = problemsOf({ ...gateway, DATABASE_READ_URL: 'postgres://postgres:pw@replica.internal:5432/callvault' });
    expect(problems.some((problem) => problem.startsWith('DATABASE_READ_URL'))).toBe(true);
  });
});

describe('DATABASE_READ_MAX_LAG_SECONDS', () => {
  const replica = { ...gateway, DATABASE_READ_URL: 'postgres://callvault_app:pw@replica.internal:5432/callvault' };

  it('must stay below DATABASE_READ_PIN_SECONDS', () => {
    expect(problemsOf({ ...replica, DATABASE_READ_PIN_SECONDS: '10', DATABASE_READ_MAX_LAG_SECONDS: '9.5' })).toEqual([]);
    expect(problemsOf({ ...replica, DATABASE_READ_PIN_SECONDS: '10', DATABASE_READ_MAX_LAG_SECONDS: '10' })).toEqual([
      expect.stringMatching(/^DATABASE_READ_MAX_LAG_SECONDS: must be below DATABASE_READ_PIN_SECONDS/),
    ]);
  });
});
