import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@callvault/testing';
import { createRecordingsWorld, seedCall, seedRecording, type RecordingsWorld } from '../recordings/recordings-test-kit';

/**
 * The replica is an optimisation: when it cannot be reached, lists, search and stats are answered
 * from the primary, and the gateway stays ready (its readiness does not include the replica).
 */
let world: RecordingsWorld;

beforeAll(async () => {
  const port = await freePort(); // nothing listens there: the replica is down
  world = await createRecordingsWorld({ DATABASE_READ_URL: `postgres://callvault_app@127.0.0.1:${port}/callvault`, DATABASE_READ_PIN_SECONDS: '10' });
}, 60_000);
afterAll(async () => world?.close());

describe('replica down', () => {
  it('still answers lists, search and stats from the primary', async () => {
    const { env, tokens, a, users, call } = world;
    await seedRecording(env, await seedCall(env, a.id, { ownerUserId: users.agentA.id }));
    const answers = {
      recordings: (await call(tokens.adminA, 'GET', '/v1/recordings?limit=5')).statusCode,
      calls: (await call(tokens.adminA, 'GET', '/v1/calls?limit=5')).statusCode,
      search: (await call(tokens.adminA, 'GET', '/v1/search?q=hello')).statusCode,
      stats: (await call(tokens.adminA, 'GET', '/v1/recordings/stats')).statusCode,
    };
    expect(answers).toEqual({ recordings: 200, calls: 200, search: 200, stats: 200 });
  });

  it('keeps the gateway ready (the primary, Redis and storage are fine)', async () => {
    const ready = await world.app.inject({ method: 'GET', url: '/readyz' });
    expect({ status: ready.statusCode, body: ready.json() }).toMatchObject({ status: 200 });
  });
});
