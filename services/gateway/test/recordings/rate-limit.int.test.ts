import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { createRecordingsWorld } from './recordings-test-kit';

const world = openForFile(createRecordingsWorld);

describe('per-user rate limit on /v1', () => {
  it('answers 429 with Retry-After past RATE_LIMIT_PER_MINUTE requests a minute (600 by default), for that user only', async () => {
    const limit = world().env.config.RATE_LIMIT_PER_MINUTE;
    expect(limit).toBe(600);
    for (let sent = 0; sent < limit; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => world().call(world().tokens.agentA, 'GET', '/v1/me')));
      expect(batch.map((response) => response.statusCode)).toEqual(Array(50).fill(200));
    }
    const limited = await world().call(world().tokens.agentA, 'GET', '/v1/recordings');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit']).toBe(String(limit));
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited', instance: '/v1/recordings', requestId: limited.headers['x-request-id'] });

    // Another user of the same company (same address) is not affected; nor are health checks.
    expect((await world().call(world().tokens.agentA2, 'GET', '/v1/me')).statusCode).toBe(200);
    expect((await world().app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('authenticates before counting: a bad token is 401, not a charge on anyone', async () => {
    expect((await world().app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer not.a.valid-token' } })).statusCode).toBe(401);
  });
});
