import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, composeGateway } from '@callvault/gateway';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { ABSURD_LIMITS, ABSURD_TIMES, hostileId, hostileJsonBody, hostileQueryValue, invalidUtf8, QUERY_NAMES } from '../src/hostile';
import { errorBodyProblems } from '../src/leak-scan';
import { discoverRoutes, isUnexercised, type DiscoveredRoute } from '../src/route-discovery';
import { settings } from '../src/settings';
import { buildWorld, freshPrincipal, type Principal, type World } from '../src/world';

/**
 * Hostile input on every gateway route: junk in every path id and query filter, absurd limits
 * and dates, random, malformed, deeply nested, non-UTF-8 and oversized bodies. Nothing may
 * answer 5xx, and every error is the contract's JSON shape without stack traces, paths or SQL.
 */
let env: TestEnvironment;
let app: FastifyInstance;
let world: World;
let sim: Simulator;
let routes: DiscoveredRoute[];
let problems: string[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ TWILIO_API_BASE_URL: sim.baseUrl });
  app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  await app.ready();
  routes = discoverRoutes(app).filter((route) => !isUnexercised(route) && route.path.startsWith('/v1/'));
  const company = {
    teams: [1],
    callsPerUser: Array.from({ length: 9 }, () => [
      { recording: 'stored' as const, direction: 'inbound' as const, daysAgo: 1, durationSeconds: 5, transcript: true },
    ]),
    unownedCalls: [],
    registeredNumbers: 1,
  };
  world = await buildWorld(env, { companies: [company, company] });
  for (const entry of world.companies) sim.state.addAccount({ accountSid: entry.twilio.accountSid, authToken: entry.twilio.authToken });
}, 60_000);

beforeEach(() => {
  problems = [];
});

afterAll(async () => {
  await app?.close();
  await sim?.close();
  await env?.close();
});

const principal = () => fc.constantFrom<Principal>(...world.principals);
const rateLimited = (label: string, response: LightMyRequestResponse) =>
  response.statusCode === 429 && problems.push(`${label} was rate-limited: spread the requests over more users`);
const withIds = (route: DiscoveredRoute, id: (name: string) => string) => route.path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(id(name)));
const realId = () => world.recordings[0]!.id;

function judge(label: string, response: LightMyRequestResponse, mustFail: boolean): void {
  rateLimited(label, response);
  if (response.statusCode >= 500) problems.push(`${label} → ${response.statusCode} ${response.body.slice(0, 200)}`);
  else if (mustFail && response.statusCode < 400) problems.push(`${label} → ${response.statusCode}, expected a 4xx`);
  for (const problem of errorBodyProblems(response)) problems.push(`${label} → ${problem}`);
}

async function send(who: Principal, method: string, url: string, body?: string | Buffer, contentType = 'application/json') {
  return app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { payload: body }),
  });
}

describe('hostile input on every gateway route', () => {
  it('refuses junk in every path id with a 4xx', async () => {
    const parameterised = routes.filter((route) => route.path.includes(':'));
    expect(parameterised.length).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...parameterised), principal(), hostileId, async (route, who, id) => {
        const url = withIds(route, () => id);
        judge(
          `${who.role} ${route.method} ${url.slice(0, 120)}`,
          await send(who, route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}'),
          true,
        );
      }),
      { numRuns: settings.smallRuns * 4, seed: settings.seed },
    );
    expect(problems).toEqual([]);
  });

  it('never fails on junk in any query filter of any route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        principal(),
        fc.dictionary(fc.constantFrom(...QUERY_NAMES), hostileQueryValue, { minKeys: 1, maxKeys: 4 }),
        async (route, who, params) => {
          const url = `${withIds(route, realId)}?${new URLSearchParams(params).toString()}`;
          judge(
            `${who.role} ${route.method} ${url.slice(0, 160)}`,
            await send(who, route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}'),
            false,
          );
        },
      ),
      { numRuns: settings.smallRuns * 4, seed: settings.seed },
    );
    expect(problems).toEqual([]);
  });

  it('answers 400 to absurd limits and dates on every list', async () => {
    const lists = routes.filter((route) => route.method === 'GET' && !route.path.includes(':') && route.path !== '/v1/me');
    for (const route of lists) {
      for (const who of [await freshPrincipal(env, world.superadmin), await freshPrincipal(env, world.companies[0]!.admin)]) {
        const companyId = who.role === 'superadmin' && /users|phone-numbers|settings/.test(route.path) ? `&companyId=${world.companies[0]!.id}` : '';
        const base = route.path === '/v1/search' ? '?q=hello&' : '?';
        const takesLimit = route.path !== '/v1/recordings/stats' && !route.path.startsWith('/v1/settings');
        if (takesLimit)
          for (const limit of ABSURD_LIMITS)
            judge(`${route.path} limit=${limit}`, await send(who, 'GET', `${route.path}${base}limit=${encodeURIComponent(limit)}${companyId}`), true);
        if (/recordings$|calls$|audit-events|stats/.test(route.path)) {
          for (const time of ABSURD_TIMES)
            judge(`${route.path} from=${time}`, await send(who, 'GET', `${route.path}${base}from=${encodeURIComponent(time)}${companyId}`), true);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('never fails on random, malformed, deeply nested or huge-number JSON bodies', async () => {
    const writes = routes.filter((route) => route.method !== 'GET' && route.method !== 'DELETE');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), principal(), hostileJsonBody, async (route, who, body) => {
        judge(`${who.role} ${route.method} ${route.path} ${body.slice(0, 60)}`, await send(who, route.method, withIds(route, realId), body), false);
      }),
      { numRuns: settings.smallRuns * 4, seed: settings.seed },
    );
    expect(problems).toEqual([]);
  });

  it('refuses invalid UTF-8, wrong content types and oversized bodies with a 4xx', async () => {
    const writes = routes.filter((route) => route.method !== 'GET' && route.method !== 'DELETE');
    for (const route of writes) {
      const admin = await freshPrincipal(env, world.companies[0]!.admin);
      const url = withIds(route, realId);
      const [bytes] = fc.sample(invalidUtf8, { numRuns: 1, seed: settings.seed });
      judge(`${route.path} invalid UTF-8`, await send(admin, route.method, url, bytes!), false);
      // A route that reads a body must refuse one it cannot read; a route without a body may ignore it.
      const readsBody = (await send(admin, route.method, url, '{"unexpectedField":1}')).statusCode === 400;
      judge(`${route.path} form body`, await send(admin, route.method, url, 'a=1&b=2', 'application/x-www-form-urlencoded'), readsBody);
      judge(`${route.path} text body`, await send(admin, route.method, url, 'hello', 'text/plain'), readsBody);
      const huge = await send(admin, route.method, url, `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`);
      judge(`${route.path} 2 MiB body`, huge, true);
      if (huge.statusCode !== 413) problems.push(`${route.path} 2 MiB body → ${huge.statusCode}, expected 413`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses NUL characters in text fields and filters with a 4xx, never a 500', async () => {
    const a = { ...world.companies[0]!, admin: (await freshPrincipal(env, world.companies[0]!.admin)) as World['companies'][number]['admin'] };
    const superadmin = await freshPrincipal(env, world.superadmin);
    const recording = world.recordings[0]!.id;
    const nul = 'a\\u0000b'; // a JSON escape: the parsed value holds a NUL character
    const cases: Array<[Principal, 'GET' | 'POST' | 'PATCH' | 'PUT', string, string | undefined]> = [
      [superadmin, 'POST', '/v1/companies', `{"name":"${nul}"}`],
      [a!.admin, 'POST', '/v1/users', `{"subject":"${nul}","role":"agent"}`],
      [a!.admin, 'POST', '/v1/users', `{"subject":"s-${Date.now()}","name":"${nul}","role":"agent"}`],
      [a!.admin, 'PATCH', `/v1/users/${a!.agents[0]!.id}`, `{"name":"${nul}"}`],
      [a!.admin, 'PATCH', `/v1/recordings/${recording}`, `{"category":"${nul}"}`],
      [a!.admin, 'PATCH', `/v1/recordings/${recording}`, `{"tags":["${nul}"]}`],
      [a!.admin, 'POST', '/v1/phone-numbers', `{"e164":"+15557654321","matchOn":"from","label":"${nul}"}`],
      [a!.admin, 'PUT', '/v1/settings/vapi', `{"orgId":"org-nul","webhookSecret":"${nul}${nul}${nul}"}`],
      [a!.admin, 'GET', '/v1/recordings?search=a%00b', undefined],
      [a!.admin, 'GET', '/v1/recordings?category=a%00b', undefined],
      [a!.admin, 'GET', '/v1/recordings?direction=a%00b', undefined],
      [a!.admin, 'GET', '/v1/calls?search=a%00b', undefined],
      [a!.admin, 'GET', '/v1/search?q=a%00b', undefined],
      [a!.admin, 'GET', '/v1/audit-events?action=a%00b', undefined],
      [a!.admin, 'GET', '/v1/users?cursor=a%00b', undefined],
    ];
    for (const [who, method, url, body] of cases) {
      const response = await send(who, method, url, body);
      if (response.statusCode === 429) problems.push(`${method} ${url} was rate-limited: the test must spread its requests over more users`);
      if (response.statusCode >= 500) problems.push(`${method} ${url} ${body ?? ''} → ${response.statusCode}`);
      for (const problem of errorBodyProblems(response)) problems.push(`${method} ${url} → ${problem}`);
    }
    expect(problems).toEqual([]);
  });
});
