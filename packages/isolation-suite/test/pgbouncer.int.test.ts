import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCompany } from '@callvault/db';
import { buildApp, composeGateway } from '@callvault/gateway';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, havePgBouncer, PGBOUNCER_PATH, startPgBouncer, type RunningPgBouncer, type TestEnvironment } from '@callvault/testing';
import { createProbeRunner, inject, type Violation, type ViolationCategory } from '../src/probe-runner';
import { ROUTE_GENERATORS } from '../src/probe-table';
import { discoverRoutes, isUnexercised, routeKey } from '../src/route-discovery';
import { settings } from '../src/settings';
import { summarize } from '../src/violations';
import { buildWorld, type World } from '../src/world';
import { forbiddenTokens, visibleRecordings } from '../src/world-model';
import { worldShape } from '../src/world-shape';

/**
 * The gateway behind PgBouncer in transaction mode (what docs/operations.md recommends): each
 * transaction may run on another server connection, so scope and timeouts must travel with the
 * transaction, never with the session. The services' role goes through PgBouncer; the owner
 * (fixtures, assertions) connects directly.
 */
if (!havePgBouncer) console.warn(`pgbouncer tests skipped: ${PGBOUNCER_PATH} is missing (apt-get install pgbouncer; CI installs it)`);

let bouncer: RunningPgBouncer;
let sim: Simulator;
let env: TestEnvironment;
let app: FastifyInstance;
let world: World;
const violations: Violation[] = [];
let requests = 0;

describe.skipIf(!havePgBouncer)('behind PgBouncer (transaction mode)', () => {
  beforeAll(async () => {
    bouncer = await startPgBouncer();
    sim = await startSimulator();
    env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl }, { pgBouncer: bouncer });
    app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
    await app.ready();
    const [shape] = fc.sample(worldShape, { numRuns: 1, seed: settings.seed });
    world = await buildWorld(env, shape!);
    for (const company of world.companies) sim.state.addAccount({ accountSid: company.twilio.accountSid, authToken: company.twilio.authToken });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await env?.close();
    await bouncer?.stop();
  });

  it('refuses the session startup parameters the services used to send', async () => {
    const client = new pg.Client({ connectionString: env.config.DATABASE_APP_URL, statement_timeout: 15_000 });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow(/unsupported startup parameter/);
    await client.end().catch(() => undefined);
  });

  it('gives each transaction its own company and timeouts, and leaves nothing on the server connections', async () => {
    const companies = world.companies.map((company) => company.id);
    // More concurrent transactions than PgBouncer's server connections: they share them in turn.
    const seen = await Promise.all(
      Array.from({ length: 24 }, (_, index) => companies[index % companies.length]!).map((companyId) =>
        withCompany(env.db, companyId, async (tx) => {
          const settingsNow = await sql<{ company: string; statement: string; idle: string }>`
            SELECT current_setting('callvault.company_id') AS company, current_setting('statement_timeout') AS statement,
                   current_setting('idle_in_transaction_session_timeout') AS idle`.execute(tx);
          const visible = await tx.selectFrom('companies').select('id').execute();
          return { companyId, ...settingsNow.rows[0]!, visible: visible.map((row) => row.id) };
        }),
      ),
    );
    for (const entry of seen)
      expect(entry).toEqual({ companyId: entry.companyId, company: entry.companyId, statement: '15s', idle: '30s', visible: [entry.companyId] });
    const outside = await sql<{ company: string | null; statement: string }>`
      SELECT current_setting('callvault.company_id', true) AS company, current_setting('statement_timeout') AS statement`.execute(env.db);
    expect(outside.rows[0]!.company ?? '').toBe('');
    expect(outside.rows[0]!.statement).toBe('0');
  });

  it('serves a read-your-write flow: a change to a recording is in the next list', async () => {
    const company = world.companies.find((entry) => visibleRecordings(world, entry.admin).length > 0)!;
    const recording = visibleRecordings(world, company.admin)[0]!;
    const patched = await inject(app, company.admin, {
      method: 'PATCH',
      url: `/v1/recordings/${recording.id}`,
      payload: { starred: true, category: 'via-pgbouncer' },
    });
    expect(patched.statusCode).toBe(200);
    const listed = await inject(app, company.admin, { method: 'GET', url: '/v1/recordings?limit=100&category=via-pgbouncer' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([recording.id]);
  });

  it('keeps every company to its own rows: the isolation probes of every route, through PgBouncer', async () => {
    const routes = discoverRoutes(app);
    const exercised = routes
      .filter((route) => !isUnexercised(route))
      .map(routeKey)
      .filter((key) => ROUTE_GENERATORS[key]);
    const forbidden = new Map(world.principals.map((principal) => [principal, forbiddenTokens(world, principal)]));
    const runner = createProbeRunner(app, env.ownerDb, world, forbidden);
    const byRole = (['agent', 'manager', 'company_admin', 'superadmin'] as const).map((role) =>
      world.principals.filter((principal) => principal.role === role),
    );
    const probes = fc
      .tuple(fc.oneof(...byRole.map((group) => fc.constantFrom(...group))), fc.constantFrom(...exercised))
      .chain(([principal, route]) => ROUTE_GENERATORS[route]!.probe({ world, principal, bucket: env.storage.bucket }).map((probe) => ({ route, probe })));
    await fc.assert(
      fc.asyncProperty(probes, async ({ route, probe }) => runner.run(route, probe)),
      { numRuns: Math.ceil(settings.runs / 3), seed: settings.seed },
    );
    requests += runner.requests;
    violations.push(...runner.violations);
    console.log(`pgbouncer isolation probes: ${requests} gateway requests over ${exercised.length} routes (ISOLATION_SEED=${settings.seed})`);
    expect(requests).toBeGreaterThan(settings.runs / 3);
    // Error-body shape is the main suite's concern (and is moving to RFC 9457 in parallel): not repeated here.
    const categories: ViolationCategory[] = ['server-error', 'leak', 'out-of-scope-status', 'distinguishable', 'mutation-changed', 'route-check'];
    for (const category of categories) expect(summarize(violations, category), `${category} violations`).toEqual([]);
  }, 300_000);
});
