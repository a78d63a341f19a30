import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, composeGateway } from '@callvault/gateway';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { leakedTokens } from '../src/leak-scan';
import { inject } from '../src/probe-runner';
import { discoverRoutes } from '../src/route-discovery';
import { settings } from '../src/settings';
import { buildWorld, freshPrincipal, type Principal, type World } from '../src/world';
import { forbiddenTokens, reportIdsOf, visibleCalls, visibleRecordings } from '../src/world-model';
import { worldShape, type CallShape, type WorldShape } from '../src/world-shape';

/**
 * Lists and cursors: paging through a list yields exactly the caller's scope (no more, no
 * less, no duplicates), and a cursor continues only the list it came from: replayed by another
 * user, with another filter or tampered with, it is refused (400), never turned into data.
 */
let env: TestEnvironment;
let app: FastifyInstance;
let world: World;
let routes: Set<string>;

interface CursorEntry {
  path: string;
  params: Record<string, string>;
  principal: Principal;
  cursor: string;
}
const cursors: CursorEntry[] = [];

const LISTS: Array<{ path: string; params: (principal: Principal) => Record<string, string> | undefined; other: Record<string, string> }> = [
  { path: '/v1/recordings', params: () => ({}), other: { sortOrder: 'asc' } },
  { path: '/v1/calls', params: () => ({}), other: { sortBy: 'startedAt' } },
  { path: '/v1/users', params: (principal) => adminParams(principal), other: { role: 'agent' } },
  { path: '/v1/phone-numbers', params: (principal) => adminParams(principal), other: { matchOn: 'to' } },
  { path: '/v1/audit-events', params: (principal) => adminParams(principal), other: { action: 'recording.play' } },
  { path: '/v1/companies', params: (principal) => (principal.role === 'superadmin' ? {} : undefined), other: {} },
];

function adminParams(principal: Principal): Record<string, string> | undefined {
  if (principal.role === 'superadmin') return { companyId: world.companies[0]!.id };
  return principal.role === 'company_admin' ? {} : undefined;
}

/** What a list's cursor fingerprint is bound to; equal keys may share cursors (same rows visible). */
function scopeKey(path: string, principal: Principal, params: Record<string, string>): string {
  if (path === '/v1/recordings' || path === '/v1/calls') {
    if (principal.role === 'superadmin') return `platform:${params.companyId ?? ''}`;
    const owners = principal.role === 'company_admin' ? 'all' : [principal.id, ...reportIdsOf(world, principal)].sort().join(',');
    return `${principal.companyId}:${owners}`;
  }
  return principal.companyId ?? params.companyId ?? 'platform';
}

/**
 * A cursor needs a second page, so every role needs two visible rows at least somewhere; a
 * random world may give every agent a single call. The first company's first manager and first
 * agent get two stored calls each (the shape orders users admin, managers, then agents).
 */
function withTwoCallsForEveryRole(shape: WorldShape): WorldShape {
  const [first, ...rest] = shape.companies;
  const twoStoredCalls: CallShape[] = [0, 1].map((daysAgo) => ({ recording: 'stored', direction: 'inbound', daysAgo, durationSeconds: 60, transcript: false }));
  const callsPerUser = first!.callsPerUser.map((calls, index) => (index === 1 || index === 1 + first!.teams.length ? twoStoredCalls : calls));
  return { companies: [{ ...first!, callsPerUser }, ...rest] };
}

const url = (path: string, params: Record<string, string>) => `${path}?${new URLSearchParams(params).toString()}`;

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await buildApp(composeGateway({ config: env.config, db: env.db, storage: env.storage, log: env.log }));
  await app.ready();
  routes = new Set(discoverRoutes(app).map((route) => `${route.method} ${route.path}`));
  const [shape] = fc.sample(worldShape, { numRuns: 1, seed: settings.seed });
  world = await buildWorld(env, withTwoCallsForEveryRole(shape!));
  // Audit events to page through, in every company.
  for (const company of world.companies) {
    for (let index = 0; index < 3; index += 1)
      await env.ownerDb
        .insertInto('audit_events')
        .values({ company_id: company.id, actor_subject: 'seed', actor_role: 'agent', action: 'recording.play', target_type: 'recording', target_id: null })
        .execute();
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await env?.close();
});

async function pageAll(principal: Principal, path: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page += 1) {
    const response = await inject(app, principal, { method: 'GET', url: url(path, { limit: String(limit), ...(cursor ? { cursor } : {}) }) });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { items: Array<{ id: string }>; nextCursor: string | null };
    ids.push(...body.items.map((item) => item.id));
    cursor = body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('more than 200 pages');
}

describe('lists page through exactly the caller scope', () => {
  it.each(['/v1/recordings', '/v1/calls'])('%s, for every principal, at random page sizes', async (path) => {
    if (!routes.has(`GET ${path}`)) return;
    for (const principal of world.principals) {
      const limit = 1 + Math.floor(Math.random() * 4);
      const ids = await pageAll(principal, path, limit);
      const expected = (path === '/v1/calls' ? visibleCalls(world, principal) : visibleRecordings(world, principal)).map((item) => item.id);
      expect(new Set(ids).size, `${principal.role} got duplicates at limit ${limit}`).toBe(ids.length);
      expect([...ids].sort(), `${principal.role} ${principal.id} at limit ${limit}`).toEqual([...expected].sort());
    }
  });
});

describe('cursors continue only the list they came from', () => {
  beforeAll(async () => {
    for (const principal of world.principals) {
      for (const list of LISTS) {
        const params = list.params(principal);
        if (!params || !routes.has(`GET ${list.path}`)) continue;
        const response = await inject(app, principal, { method: 'GET', url: url(list.path, { ...params, limit: '1' }) });
        const cursor = response.statusCode === 200 ? (response.json().nextCursor as string | null) : null;
        if (cursor) cursors.push({ path: list.path, params, principal, cursor });
      }
    }
  });

  it('collected cursors of every list and role', () => {
    expect(new Set(cursors.map((entry) => entry.path)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(cursors.map((entry) => entry.principal.role)).size).toBe(4);
  });

  it('accepts a cursor from its own list, and refuses it replayed by another scope, with another filter, or tampered (400, never data)', async () => {
    const replayers = new Map<Principal, Principal>();
    const forbidden = new Map<Principal, Map<string, string>>();
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cursors),
        fc.constantFrom(...world.principals),
        fc.constantFrom('same', 'other-user', 'other-filter', 'tampered'),
        fc.nat(),
        async (entry, other, variant, position) => {
          const list = LISTS.find((candidate) => candidate.path === entry.path)!;
          const principal = variant === 'other-user' ? other : entry.principal;
          let params = { ...entry.params, limit: '2', cursor: entry.cursor };
          if (variant === 'other-user') params = { ...(list.params(other) ?? entry.params), limit: '2', cursor: entry.cursor };
          if (variant === 'other-filter') params = { ...params, ...list.other };
          if (variant === 'tampered') {
            const at = position % entry.cursor.length;
            params.cursor = `${entry.cursor.slice(0, at)}${entry.cursor[at] === 'A' ? 'B' : 'A'}${entry.cursor.slice(at + 1)}`;
          }
          fc.pre(variant !== 'other-filter' || Object.keys(list.other).length > 0);
          // Rate limits are per user: a superadmin's and an admin's replays go to copies (same scope).
          if (!replayers.has(principal))
            replayers.set(principal, principal.role === 'superadmin' || principal.role === 'company_admin' ? await freshPrincipal(env, principal) : principal);
          const sender = replayers.get(principal)!;
          if (!forbidden.has(principal)) forbidden.set(principal, forbiddenTokens(world, principal));
          const response = await inject(app, sender, { method: 'GET', url: url(entry.path, params) });
          const label = `${variant}: ${entry.principal.role}'s ${entry.path} cursor replayed by ${principal.role} → ${response.statusCode}`;
          const sameScope =
            list.params(principal) !== undefined &&
            scopeKey(entry.path, entry.principal, entry.params) === scopeKey(entry.path, principal, { ...entry.params, ...(list.params(principal) ?? {}) });
          const mayContinue = variant === 'same' || (variant === 'other-user' && sameScope);
          if (mayContinue && response.statusCode !== 200) problems.push(`${label}, expected 200: ${response.body.slice(0, 120)}`);
          if (!mayContinue && response.statusCode === 200) problems.push(`${label}: a foreign or tampered cursor was turned into data`);
          if (!mayContinue && response.statusCode !== 400 && list.params(principal) !== undefined && variant !== 'other-user')
            problems.push(`${label}, expected 400`);
          if (response.statusCode >= 500) problems.push(label);
          const leaked = leakedTokens(forbidden.get(principal)!, response, '');
          if (leaked.length > 0) problems.push(`${label} leaked ${leaked.slice(0, 3).join(', ')}`);
        },
      ),
      { numRuns: settings.smallRuns * 3, seed: settings.seed },
    );
    expect(problems).toEqual([]);
  });
});
