import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildGateway, composeGateway } from '@callvault/gateway';
import { buildApp as buildIngest, composeIngest, type IngestDeps } from '@callvault/ingest';
import { connectProducer, type Producer } from '@callvault/queue';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, freePort, type TestEnvironment } from '@callvault/testing';
import type { FastifyInstance } from 'fastify';
import { actionArb, runSequence, violationsOf, type HostileWorld } from '../src/hostile-admins';
import { settings } from '../src/settings';

/**
 * Hostile company admins, property-based: fast-check draws sequences of what an attacker can do
 * (claim accounts, orgs, numbers and subjects of other companies with made-up secrets, hold
 * registrations from before ownership was proven, sign webhooks with its own credentials naming
 * other companies' lines and leaked tags, replay captured deliveries, rotate its token),
 * interleaved with genuine traffic of a victim and a decoy company. After every sequence the
 * invariants of `violationsOf` must hold; a failure is shrunk to the shortest sequence.
 */
let sim: Simulator;
let env: TestEnvironment;
let producer: Producer;
let ingest: FastifyInstance;
let ingestDeps: IngestDeps;
let world: HostileWorld;

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl, VAPI_API_BASE_URL: sim.baseUrl, MEDIA_FETCH_ALLOWED_HOSTS: sim.host });
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  ingestDeps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
  ingest = buildIngest(ingestDeps);
  const port = await freePort();
  await ingest.listen({ host: '127.0.0.1', port });
  const gateway = await buildGateway(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  world = { env, sim, ingestUrl: `http://127.0.0.1:${port}`, gateway, settled: () => ingestDeps.effects.settled() };
}, 60_000);

afterAll(async () => {
  await world?.gateway.close();
  await ingest?.close();
  await ingestDeps?.effects.stop();
  await producer?.close();
  await sim?.close();
  await env?.close();
});

describe('hostile company admins', () => {
  it('never reach what they do not own, whatever they register, claim, sign or replay', { timeout: 600_000 }, async () => {
    let sequences = 0;
    let requests = 0;
    // The violations of the last failing run: after shrinking, those of the smallest counterexample.
    let failing: string[] = [];
    const outcome = await fc.check(
      fc.asyncProperty(fc.array(actionArb, { minLength: 4, maxLength: 14 }), async (actions) => {
        const record = await runSequence(world, actions);
        sequences += 1;
        requests += record.requests;
        const found = await violationsOf(world, record);
        if (found.length > 0) failing = found;
        return found.length === 0;
      }),
      { numRuns: settings.hostileRuns, seed: settings.seed, endOnFailure: false },
    );
    console.log(`hostile admins: ${sequences} sequences (${settings.hostileRuns} drawn, the rest shrinking), ${requests} requests, seed ${settings.seed}`);
    if (outcome.failed)
      console.log(
        `smallest failing sequence: ${JSON.stringify(outcome.counterexample)}\n${failing.join('\n')}${outcome.errorInstance ? `\n${JSON.stringify(outcome.errorInstance)}` : ''}`,
      );
    expect(failing).toEqual([]);
    expect(outcome.failed).toBe(false);
  });
});
