import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { pickTarget, query, targeted, type Candidate, type ProbeContext, type RouteGenerator } from './probe';
import type { WorldRecording } from './world';
import { actsForUser, expectedStats, seesOwned, visibleRecordings } from './world-model';

const json = (response: LightMyRequestResponse) => {
  try {
    return response.json();
  } catch {
    return undefined;
  }
};

function recordingTargets(context: ProbeContext): Array<Candidate<WorldRecording>> {
  return context.world.recordings.map((recording) => ({
    kind: seesOwned(context.world, context.principal, recording) ? 'in' : 'out',
    id: recording.id,
    data: recording,
  }));
}

/** A signed media URL must point at exactly this recording's object, under its company's prefix. */
export function signedUrlViolations(url: string | undefined, recording: WorldRecording, bucket: string): string[] {
  if (!url) return ['no signed URL in the answer'];
  const parsed = new URL(url);
  if (parsed.pathname.startsWith('/media/')) {
    const ok = parsed.pathname === `/media/${recording.id}` && parsed.searchParams.get('company') === recording.companyId;
    return ok ? [] : [`gateway media URL ${parsed.pathname} does not name recording ${recording.id} of company ${recording.companyId}`];
  }
  const key = decodeURIComponent(parsed.pathname).replace(new RegExp(`^/${bucket}/`), '');
  if (!key.startsWith(`companies/${recording.companyId}/`)) return [`signed URL key ${key} is not under companies/${recording.companyId}/`];
  return key === recording.storageKey ? [] : [`signed URL key ${key} is not the recording's key ${recording.storageKey}`];
}

const isoDay = fc.integer({ min: -60, max: 5 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10));

/** Random list filters: every filter the contract names, with values from this and other scopes. */
export function listQueryArbitrary(context: ProbeContext, list: 'recordings' | 'calls' = 'recordings') {
  const { world } = context;
  const numbers = world.calls.flatMap((call) => [call.from, call.to.slice(-7)]);
  const names = world.users.map((user) => user.name);
  return fc.record(
    {
      limit: fc.integer({ min: 1, max: 100 }),
      sortBy: fc.constantFrom('startedAt', 'duration', 'createdAt'),
      sortOrder: fc.constantFrom('asc', 'desc'),
      status: list === 'recordings' ? fc.constantFrom('stored', 'pending', 'failed') : fc.constantFrom('completed', 'in-progress'),
      direction: fc.constantFrom('inbound', 'outbound-api'),
      ...(list === 'recordings'
        ? { starred: fc.constantFrom('true', 'false'), archived: fc.constantFrom('true', 'false'), category: fc.constantFrom('sales', 'support') }
        : {}),
      ownerUserId: fc.constantFrom(...world.users.map((user) => user.id), randomUUID()),
      search: fc.constantFrom(...numbers, ...names),
      from: isoDay.map((day) => `${day}T00:00:00Z`),
      to: isoDay.map((day) => `${day}T00:00:00Z`),
    },
    { requiredKeys: [] },
  );
}

/** The change feed's query (nothing but paging may go with sort=updatedAt), or a plain page for a feed-only list. */
function feedQueryArbitrary() {
  return fc.oneof(
    fc.record(
      { limit: fc.integer({ min: 1, max: 100 }), sort: fc.constant('updatedAt'), updatedAfter: isoDay.map((day) => `${day}T00:00:00Z`) },
      { requiredKeys: ['sort'] },
    ),
    fc.record({ limit: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
  );
}

/** companyId in a list query: own/any world company (in), another company (out) or none. */
function companyParam(context: ProbeContext): fc.Arbitrary<Candidate | undefined> {
  const { principal, world } = context;
  const candidates: Candidate[] = world.companies.map((company) => ({
    kind: principal.role === 'superadmin' || principal.companyId === company.id ? 'in' : 'out',
    id: company.id,
    data: undefined,
  }));
  return fc.option(pickTarget(candidates) as fc.Arbitrary<Candidate>, { nil: undefined, freq: 2 });
}

function list(path: string, kind: 'recordings' | 'calls' | 'transcripts'): RouteGenerator {
  return {
    mutation: false,
    probe: (context) =>
      fc
        .tuple(kind === 'transcripts' ? feedQueryArbitrary() : fc.oneof(listQueryArbitrary(context, kind), feedQueryArbitrary()), companyParam(context))
        .map(([filters, company]) => {
          const build = (companyId?: string) => ({ method: 'GET' as const, url: `${path}${query({ ...filters, companyId })}` });
          if (!company) return { ...build(), principal: context.principal, mutation: false, roleAllowed: true };
          return targeted(context, company, build, { mutation: false, roleAllowed: true });
        }),
  };
}

/** GET/POST on one recording (or its call) by id. */
function onRecording(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  suffix: string,
  options: {
    mutation: boolean;
    roleAllowed: (context: ProbeContext) => boolean;
    kinds?: (context: ProbeContext) => Array<'in' | 'out' | 'missing'>;
    body?: fc.Arbitrary<unknown>;
    inCheck?: (response: LightMyRequestResponse, recording: WorldRecording, context: ProbeContext) => string[];
  },
): RouteGenerator {
  return {
    mutation: options.mutation,
    probe: (context) =>
      fc.tuple(pickTarget(recordingTargets(context), options.kinds?.(context)), options.body ?? fc.constant(undefined)).map(([target, body]) =>
        targeted(context, target, (id) => ({ method, url: `/v1/recordings/${id}${suffix}`, ...(body === undefined ? {} : { payload: body }) }), {
          mutation: options.mutation,
          roleAllowed: options.roleAllowed(context),
          ...(target.kind === 'in' && options.inCheck
            ? { check: (response: LightMyRequestResponse) => options.inCheck!(response, target.data!, context) }
            : {}),
        }),
      ),
  };
}

const anyone = () => true;
const managerPlus = (context: ProbeContext) => context.principal.role !== 'agent';
const adminPlus = (context: ProbeContext) => context.principal.role === 'company_admin' || context.principal.role === 'superadmin';
/** Writes that would change what the model expects are only sent where they must fail. */
const outOnly = () => ['out', 'missing'] as Array<'in' | 'out' | 'missing'>;
const inOnlyWhereRefused = (allowed: (context: ProbeContext) => boolean) => (context: ProbeContext) =>
  allowed(context) ? outOnly() : (['in', 'out', 'missing'] as Array<'in' | 'out' | 'missing'>);

const expectStatus = (response: LightMyRequestResponse, statuses: number[]) =>
  statuses.includes(response.statusCode) ? [] : [`expected ${statuses.join('/')} in scope, got ${response.statusCode}`];

export const recordingGenerators: Record<string, RouteGenerator> = {
  'GET /v1/me': {
    mutation: false,
    probe: (context) => fc.constant({ method: 'GET', url: '/v1/me', principal: context.principal, mutation: false, roleAllowed: true }),
  },
  'GET /v1/recordings': list('/v1/recordings', 'recordings'),
  'GET /v1/calls': list('/v1/calls', 'calls'),
  'GET /v1/transcripts': list('/v1/transcripts', 'transcripts'),
  'GET /v1/recordings/:id': onRecording('GET', '', { mutation: false, roleAllowed: anyone, inCheck: (response) => expectStatus(response, [200]) }),
  'GET /v1/recordings/:id/playback': onRecording('GET', '/playback', {
    mutation: false,
    roleAllowed: anyone,
    inCheck: (response, recording, context) =>
      recording.status !== 'stored'
        ? expectStatus(response, [404])
        : [...expectStatus(response, [200]), ...signedUrlViolations(json(response)?.url, recording, context.bucket)],
  }),
  'GET /v1/recordings/:id/download': onRecording('GET', '/download', {
    mutation: false,
    roleAllowed: anyone,
    inCheck: (response, recording, context) =>
      recording.status !== 'stored'
        ? expectStatus(response, [404])
        : [...expectStatus(response, [302]), ...signedUrlViolations(response.headers.location as string | undefined, recording, context.bucket)],
  }),
  'GET /v1/recordings/:id/transcript': onRecording('GET', '/transcript', {
    mutation: false,
    roleAllowed: anyone,
    inCheck: (response, recording) =>
      recording.word
        ? [...expectStatus(response, [200]), ...(response.body.includes(recording.word) ? [] : ['transcript text missing'])]
        : expectStatus(response, [404]),
  }),
  'POST /v1/recordings/:id/transcript': onRecording('POST', '/transcript', { mutation: true, roleAllowed: managerPlus }),
  'POST /v1/recordings/:id/analyze': onRecording('POST', '/analyze', { mutation: true, roleAllowed: managerPlus }),
  'PATCH /v1/recordings/:id': onRecording('PATCH', '', {
    mutation: true,
    roleAllowed: anyone,
    body: fc.oneof(
      fc.record({ starred: fc.boolean() }),
      fc.record({ tags: fc.array(fc.constantFrom('vip', 'follow-up', 'x'), { maxLength: 3 }) }),
      fc.record({ category: fc.constantFrom('sales', 'support') }),
      fc.record({ priority: fc.integer({ min: 0, max: 10 }) }),
    ),
  }),
  'DELETE /v1/recordings/:id': onRecording('DELETE', '', { mutation: true, roleAllowed: managerPlus, kinds: inOnlyWhereRefused(managerPlus) }),
  'PUT /v1/recordings/:id/legal-hold': onRecording('PUT', '/legal-hold', {
    mutation: true,
    roleAllowed: adminPlus,
    body: fc.record({ legalHold: fc.boolean() }),
  }),
  'GET /v1/calls/:id': {
    mutation: false,
    probe: (context) =>
      pickTarget(
        context.world.calls.map((call) => ({
          kind: seesOwned(context.world, context.principal, call) ? ('in' as const) : ('out' as const),
          id: call.id,
          data: call,
        })),
      ).map((target) =>
        targeted(context, target, (id) => ({ method: 'GET', url: `/v1/calls/${id}` }), {
          mutation: false,
          roleAllowed: true,
          ...(target.kind === 'in' ? { check: (response) => expectStatus(response, [200]) } : {}),
        }),
      ),
  },
  'POST /v1/recordings/bulk/:action': {
    mutation: true,
    probe: (context) => {
      const targets = recordingTargets(context);
      const out = targets.filter((target) => target.kind === 'out').map((target) => target.id);
      const inScope = targets.filter((target) => target.kind === 'in').map((target) => target.id);
      return fc
        .tuple(
          fc.constantFrom('star', 'unstar', 'archive', 'unarchive', 'delete'),
          fc.subarray(out, { maxLength: Math.min(5, out.length) }),
          fc.subarray(inScope, { maxLength: Math.min(3, inScope.length) }),
          fc.boolean(),
        )
        .map(([action, outIds, inIds, withMissing]) => {
          // In-scope ids only where the action cannot change what the model expects.
          const neutral = action === 'star' || action === 'unstar' || (action === 'delete' && context.principal.role === 'agent');
          const missing = withMissing || outIds.length === 0 ? [randomUUID()] : [];
          const ids = [...outIds, ...missing, ...(neutral ? inIds : [])];
          const mustBeNotFound = new Set([...outIds, ...missing]);
          return {
            method: 'POST' as const,
            url: `/v1/recordings/bulk/${action}`,
            payload: { ids },
            principal: context.principal,
            mutation: true,
            roleAllowed: true,
            check: (response: LightMyRequestResponse) => {
              if (response.statusCode !== 200) return [`bulk ${action} answered ${response.statusCode}`];
              const results = (json(response)?.results ?? []) as Array<{ id: string; status: string }>;
              return results
                .filter((result) => mustBeNotFound.has(result.id) && result.status !== 'not_found')
                .map((result) => `bulk ${action}: out-of-scope ${result.id} reported ${result.status}, not not_found`);
            },
          };
        });
    },
  },
  'GET /v1/recordings/stats': {
    mutation: false,
    probe: (context) =>
      fc.tuple(fc.record({ from: isoDay, to: isoDay }, { requiredKeys: [] }), companyParam(context)).map(([range, company]) => {
        const { principal, world } = context;
        const valid = !(range.from && range.to && range.from > range.to);
        const build = (companyId?: string) => ({ method: 'GET' as const, url: `/v1/recordings/stats${query({ ...range, companyId })}` });
        const check = (response: LightMyRequestResponse) => {
          if (!valid) return expectStatus(response, [400]);
          if (company && company.kind !== 'in') return [];
          if (response.statusCode !== 200) return [`stats answered ${response.statusCode}: ${response.body.slice(0, 120)}`];
          const body = json(response);
          const expected = expectedStats(world, principal, { ...range, ...(company ? { companyId: company.id } : {}) });
          const got = {
            calls: body.totals.calls,
            stored: body.byStatus.stored,
            failed: body.byStatus.failed,
            other: body.byStatus.other,
            inbound: body.byDirection.inbound,
            outbound: body.byDirection.outbound,
            recordedSeconds: body.totals.recordedSeconds,
            storedBytes: body.totals.storedBytes,
          };
          return JSON.stringify(got) === JSON.stringify(expected) ? [] : [`stats ${JSON.stringify(got)} differ from the model ${JSON.stringify(expected)}`];
        };
        if (!company || !valid) return { ...build(company?.id), principal, mutation: false, roleAllowed: true, check };
        return targeted(context, company, build, { mutation: false, roleAllowed: true, check });
      }),
  },
  'GET /v1/search': {
    mutation: false,
    probe: (context) => {
      const words = [
        ...context.world.companies.map((company) => company.word),
        ...context.world.recordings.flatMap((recording) => (recording.word ? [recording.word] : [])),
        'nothingmatchesthis',
      ];
      return fc
        .tuple(fc.constantFrom(...words), fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }), companyParam(context))
        .map(([q, limit, company]) => {
          const visible = visibleRecordings(context.world, context.principal).filter(
            (recording) => recording.word === q && (!company || recording.companyId === company.id),
          );
          const build = (companyId?: string) => ({ method: 'GET' as const, url: `/v1/search${query({ q, limit, companyId })}` });
          const check = (response: LightMyRequestResponse) => {
            if (company && company.kind !== 'in') return [];
            if (response.statusCode !== 200) return [`search answered ${response.statusCode}: ${response.body.slice(0, 120)}`];
            const hits = (json(response)?.items ?? []) as Array<{ recordingId: string }>;
            return visible
              .filter((recording) => !hits.some((hit) => hit.recordingId === recording.id))
              .map((recording) => `search for ${q} misses in-scope recording ${recording.id}`);
          };
          if (!company) return { ...build(), principal: context.principal, mutation: false, roleAllowed: true, check };
          return targeted(context, company, build, { mutation: false, roleAllowed: true, check });
        });
    },
  },
  'POST /v1/call-links': {
    mutation: true,
    probe: (context) =>
      pickTarget(
        context.world.users.map((user) => ({
          kind: actsForUser(context.world, context.principal, user) ? ('in' as const) : ('out' as const),
          id: user.id,
          data: user,
        })),
      ).map((target) =>
        targeted(context, target, (id) => ({ method: 'POST', url: '/v1/call-links', payload: { ownerUserId: id } }), { mutation: true, roleAllowed: true }),
      ),
  },
  'POST /v1/recordings/sync': companyAction('/v1/recordings/sync', () => ({})),
  'POST /v1/recordings/cleanup': companyAction('/v1/recordings/cleanup', () => ({ olderThanDays: 1, dryRun: true })),
};

/**
 * Company-wide actions of a company admin (or a superadmin naming the company in the body):
 * in scope only as dry runs / enqueues that change no row; another or a missing company must 404.
 */
function companyAction(path: string, body: () => Record<string, unknown>): RouteGenerator {
  return {
    mutation: true,
    probe: (context) => {
      const { principal, world } = context;
      const candidates = world.companies.map((company) => ({
        kind: principal.role === 'superadmin' || principal.companyId === company.id ? ('in' as const) : ('out' as const),
        id: company.id,
        data: undefined,
      }));
      return pickTarget(candidates).map((target) =>
        targeted(context, target, (companyId) => ({ method: 'POST', url: path, payload: { ...body(), companyId } }), {
          mutation: true,
          roleAllowed: adminPlus(context),
        }),
      );
    },
  };
}
