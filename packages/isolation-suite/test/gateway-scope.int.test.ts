import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, composeGateway } from '@callvault/gateway';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { changedRows, snapshot } from '../src/db-snapshot';
import { leakedTokens } from '../src/leak-scan';
import { createProbeRunner, inject, type Violation, type ViolationCategory } from '../src/probe-runner';
import { ROUTE_GENERATORS } from '../src/probe-table';
import { discoverRoutes, isUnexercised, routeKey } from '../src/route-discovery';
import { settings } from '../src/settings';
import { summarize } from '../src/violations';
import { buildWorld, resetWorld, type World } from '../src/world';
import { forbiddenTokens, visibleRecordings } from '../src/world-model';
import { worldShape } from '../src/world-shape';

/**
 * The no-leaks promise as a property: random worlds (2–4 companies, their teams, calls,
 * recordings with audio in S3, transcripts, numbers, provider accounts) and random requests by
 * random principals to every gateway route, each answer checked against the world model.
 * Every broken promise is collected, so one run reports all of them, by kind.
 */
let env: TestEnvironment;
let app: FastifyInstance;
let sim: Simulator;
let missingGenerators: string[] = [];
const violations: Violation[] = [];
let requests = 0;
let lastWorld: World;
let rateLimited = 0;

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl });
  app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  await app.ready();
  const routes = discoverRoutes(app);
  missingGenerators = routes
    .filter((route) => !isUnexercised(route) && !ROUTE_GENERATORS[routeKey(route)])
    .map((route) => `add a generator for ${routeKey(route)}`);
  const exercised = routes.map(routeKey).filter((key) => ROUTE_GENERATORS[key]);
  const started = Date.now();

  for (let index = 0; index < settings.worlds; index += 1) {
    await resetWorld(env);
    const [shape] = fc.sample(worldShape, { numRuns: 1, seed: settings.seed + index });
    const world = await buildWorld(env, shape!);
    lastWorld = world;
    for (const company of world.companies) sim.state.addAccount({ accountSid: company.twilio.accountSid, authToken: company.twilio.authToken });
    const forbidden = new Map(world.principals.map((principal) => [principal, forbiddenTokens(world, principal)]));
    const runner = createProbeRunner(app, env.ownerDb, world, forbidden);
    // Each role equally often, whatever its head count: the superadmin is one principal among ~20.
    const byRole = (['agent', 'manager', 'company_admin', 'superadmin'] as const).map((role) =>
      world.principals.filter((principal) => principal.role === role),
    );
    const probes = fc
      .tuple(fc.oneof(...byRole.map((group) => fc.constantFrom(...group))), fc.constantFrom(...exercised))
      .chain(([principal, route]) => ROUTE_GENERATORS[route]!.probe({ world, principal, bucket: env.storage.bucket }).map((probe) => ({ route, probe })));
    await fc.assert(
      fc.asyncProperty(probes, async ({ route, probe }) => runner.run(route, probe)),
      { numRuns: settings.runs, seed: settings.seed + index },
    );
    requests += runner.requests;
    rateLimited += runner.rateLimited;
    if (process.env.ISOLATION_VERBOSE)
      for (const [route, counts] of runner.statuses) console.log(route, JSON.stringify(Object.fromEntries([...counts].sort())));
    violations.push(...runner.violations);
  }
  console.log(
    `isolation property suite: ${requests} gateway requests (${rateLimited} rate-limited) over ${settings.worlds} worlds and ${exercised.length} routes in ${((Date.now() - started) / 1000).toFixed(1)} s (ISOLATION_SEED=${settings.seed}, ISOLATION_RUNS=${settings.runs})`,
  );
}, 300_000);

afterAll(async () => {
  await app?.close();
  await sim?.close();
  await env?.close();
});

const none = (category: ViolationCategory) => expect(summarize(violations, category), `${category} violations`).toEqual([]);

describe('gateway isolation, property-based', () => {
  it('has a request generator for every route it serves', () => expect(missingGenerators).toEqual([]));
  it('sent requests', () => expect(requests).toBeGreaterThan(settings.runs));
  it('never answers 5xx', () => none('server-error'));
  it('answers errors as { statusCode, error, code, message } without internals', () => none('error-shape'));
  it('never returns an identifier, number, word, key, hash or secret outside the caller scope', () => none('leak'));
  it('answers 404 for targets outside the caller scope (403 only for a role refused everywhere)', () => none('out-of-scope-status'));
  it('answers an out-of-scope id exactly like a nonexistent one', () => none('distinguishable'));
  it('changes nothing outside the caller scope, and nothing at all when it refuses', () => none('mutation-changed'));
  it('serves in-scope data correctly: stats equal the model, signed URLs point into the right prefix, bulk reports not_found', () => none('route-check'));

  it('self-test: catches a leak when the model is narrower than the gateway, and a row changed behind its back', async () => {
    const company = lastWorld.companies.find((entry) =>
      visibleRecordings(lastWorld, entry.admin).some((recording) => recording.ownerUserId !== entry.admin.id),
    )!;
    const pretend = { ...company.admin, role: 'agent' as const };
    const response = await inject(app, company.admin, { method: 'GET', url: '/v1/recordings?limit=100' });
    expect(leakedTokens(forbiddenTokens(lastWorld, pretend), response, '').length).toBeGreaterThan(0);
    const before = await snapshot(env.ownerDb);
    await env.ownerDb
      .updateTable('recordings')
      .set({ category: `self-test-${Date.now()}` })
      .where('id', '=', lastWorld.recordings[0]!.id)
      .execute();
    expect(changedRows(before, await snapshot(env.ownerDb))).toHaveLength(1);
  });
});
