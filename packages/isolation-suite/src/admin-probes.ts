import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { pickTarget, query, targeted, type Candidate, type Probe, type ProbeContext, type RequestShape, type RouteGenerator, type TargetKind } from './probe';
import { distinctNumber } from './world';

/**
 * Administration routes: a company admin works on its own company, a superadmin on the company
 * it names with companyId; agents and managers get 403 for everything, whatever they name.
 */
const isAdmin = (context: ProbeContext) => context.principal.role === 'company_admin' || context.principal.role === 'superadmin';

interface AdminTarget extends Candidate<undefined> {
  /** The companyId query parameter sent with the request (a superadmin must name one). */
  companyId: string | undefined;
}

/**
 * An entity of some company, seen from the caller: a company admin's own company is in scope;
 * for a superadmin the entity is in scope when it names the entity's company and out of scope
 * when it names another one.
 */
function adminTargets(context: ProbeContext, entities: Array<{ id: string; companyId: string }>): fc.Arbitrary<AdminTarget> {
  const { principal, world } = context;
  const candidates = entities.flatMap((entity): Array<Candidate<string | undefined>> => {
    if (principal.role !== 'superadmin') return [{ kind: principal.companyId === entity.companyId ? 'in' : 'out', id: entity.id, data: undefined }];
    const other = world.companies.find((company) => company.id !== entity.companyId)!;
    return [
      { kind: 'in', id: entity.id, data: entity.companyId },
      { kind: 'out', id: entity.id, data: other.id },
    ];
  });
  const ownOrFirst = principal.companyId ?? world.companies[0]!.id;
  return pickTarget(candidates).map((target) => ({
    kind: target.kind,
    id: target.id,
    data: undefined,
    companyId: principal.role === 'superadmin' ? (target.data ?? ownOrFirst) : undefined,
  }));
}

/** Which kinds of target a route is sent with: writes in scope only where the role must be refused. */
const kindsFor = (context: ProbeContext, write: boolean): TargetKind[] => (write && isAdmin(context) ? ['out', 'missing'] : ['in', 'out', 'missing']);

function onEntity(
  base: string,
  method: RequestShape['method'],
  entities: (context: ProbeContext) => Array<{ id: string; companyId: string }>,
  body?: (context: ProbeContext) => fc.Arbitrary<unknown>,
  suffix = '',
): RouteGenerator {
  const write = method !== 'GET';
  return {
    mutation: write,
    probe: (context) =>
      fc
        .tuple(adminTargets(context, entities(context)), body ? body(context) : fc.constant(undefined))
        .filter(([target]) => kindsFor(context, write).includes(target.kind))
        .map(([target, payload]) =>
          targeted(
            context,
            target,
            (id) => ({ method, url: `${base}/${id}${suffix}${query({ companyId: target.companyId })}`, ...(payload === undefined ? {} : { payload }) }),
            {
              mutation: write,
              roleAllowed: isAdmin(context),
            },
          ),
        ),
  };
}

/** Requests that name a company only (lists, settings, creations): own/named company, another one, a missing one. */
function onCompany(
  method: RequestShape['method'],
  path: string,
  options: {
    inScope: boolean;
    where: 'query' | 'body';
    body?: (context: ProbeContext) => Record<string, unknown>;
    superadminOnly?: boolean;
    /** Every role may read it for its own company (scoped inside, like the stats). */
    everyRole?: boolean;
  },
): RouteGenerator {
  const write = method !== 'GET';
  return {
    mutation: write,
    probe: (context) => {
      const { principal, world } = context;
      const roleAllowed = options.everyRole ? true : options.superadminOnly ? principal.role === 'superadmin' : isAdmin(context);
      const candidates: Candidate[] = world.companies.map((company) => ({
        kind: principal.role === 'superadmin' || principal.companyId === company.id ? 'in' : 'out',
        id: company.id,
        data: undefined,
      }));
      const kinds: TargetKind[] = options.inScope || !roleAllowed ? ['in', 'out', 'missing'] : ['out', 'missing'];
      return pickTarget(candidates, kinds).map((target) =>
        targeted(
          context,
          target,
          (companyId) => {
            const extra = options.body?.(context) ?? {};
            return options.where === 'query'
              ? { method, url: `${path}${query({ companyId })}`, ...(options.body ? { payload: extra } : {}) }
              : { method, url: path, payload: { ...extra, companyId } };
          },
          { mutation: write, roleAllowed },
        ),
      );
    },
  };
}

const users = (context: ProbeContext) => context.world.users;
/**
 * The world holds no API keys or webhook endpoints: their probes name missing ids only (the
 * gateway's api-keys and webhook-endpoints tests cover both companies' own).
 */
const noApiKeys = () => [];
const noEndpoints = () => [];
const numbers = (context: ProbeContext) => context.world.companies.flatMap((company) => company.numbers);

/** A body naming a user of another company: the write must be refused (400) and change nothing. */
function foreignReference(path: string, field: 'managerId' | 'ownerUserId', body: () => Record<string, unknown>): RouteGenerator {
  return {
    mutation: true,
    probe: (context) => {
      const { principal, world } = context;
      const home = principal.companyId ?? world.companies[0]!.id;
      const foreign = world.users.filter((user) => user.companyId !== home && user.role !== 'agent');
      return fc.constantFrom(...foreign).map((user): Probe => {
        const build = (id: string): RequestShape => ({
          method: 'POST',
          url: path,
          payload: { ...body(), [field]: id, ...(principal.role === 'superadmin' ? { companyId: home } : {}) },
        });
        return {
          ...build(user.id),
          principal,
          mutation: true,
          roleAllowed: isAdmin(context),
          target: { kind: 'out', id: user.id },
          twin: build(randomUUID()),
          refusal: isAdmin(context) ? [400] : [403],
        };
      });
    },
  };
}

const newUser = () => ({ subject: `new-${randomUUID()}`, role: 'agent' });
const newNumber = () => ({ e164: distinctNumber(), matchOn: 'to' });

export const adminGenerators: Record<string, RouteGenerator> = {
  'GET /v1/users': onCompany('GET', '/v1/users', { inScope: true, where: 'query' }),
  'GET /v1/users/:id': onEntity('/v1/users', 'GET', users),
  'PATCH /v1/users/:id': onEntity('/v1/users', 'PATCH', users, () =>
    fc.oneof(fc.constant({ name: 'Renamed' }), fc.constant({ role: 'company_admin' }), fc.constant({ disabled: true })),
  ),
  'DELETE /v1/users/:id': onEntity('/v1/users', 'DELETE', users),
  'POST /v1/users': {
    mutation: true,
    probe: (context) =>
      fc.oneof(
        onCompany('POST', '/v1/users', { inScope: false, where: 'body', body: newUser }).probe(context),
        foreignReference('/v1/users', 'managerId', newUser).probe(context),
      ),
  },
  'GET /v1/phone-numbers': onCompany('GET', '/v1/phone-numbers', { inScope: true, where: 'query' }),
  'GET /v1/phone-numbers/:id': onEntity('/v1/phone-numbers', 'GET', numbers),
  'PATCH /v1/phone-numbers/:id': onEntity('/v1/phone-numbers', 'PATCH', numbers, () =>
    fc.constantFrom({ label: 'moved' }, { ownerUserId: null }, { matchOn: 'from' }),
  ),
  'DELETE /v1/phone-numbers/:id': onEntity('/v1/phone-numbers', 'DELETE', numbers),
  'POST /v1/phone-numbers': {
    mutation: true,
    probe: (context) =>
      fc.oneof(
        onCompany('POST', '/v1/phone-numbers', { inScope: false, where: 'body', body: newNumber }).probe(context),
        foreignReference('/v1/phone-numbers', 'ownerUserId', newNumber).probe(context),
      ),
  },
  'POST /v1/phone-numbers/sync': onCompany('POST', '/v1/phone-numbers/sync', { inScope: true, where: 'query' }),
  'GET /v1/settings/twilio': onCompany('GET', '/v1/settings/twilio', { inScope: true, where: 'query' }),
  'GET /v1/settings/vapi': onCompany('GET', '/v1/settings/vapi', { inScope: true, where: 'query' }),
  'PUT /v1/settings/twilio': onCompany('PUT', '/v1/settings/twilio', {
    inScope: false,
    where: 'body',
    body: () => ({ accountSid: `AC${'ab'.repeat(16)}`, authToken: 'attacker-token' }),
  }),
  'PUT /v1/settings/vapi': onCompany('PUT', '/v1/settings/vapi', {
    inScope: false,
    where: 'body',
    body: () => ({ orgId: 'attacker-org', webhookSecret: 'attacker-secret' }),
  }),
  'GET /v1/settings/intelligence': onCompany('GET', '/v1/settings/intelligence', { inScope: true, where: 'query' }),
  'PUT /v1/settings/intelligence': onCompany('PUT', '/v1/settings/intelligence', {
    inScope: false,
    where: 'body',
    body: () => ({ enabled: true, scorecardQuestions: [], modelBaseUrl: 'https://attacker.example/v1', modelName: 'exfiltrate', modelApiKey: 'attacker-key' }),
  }),
  'GET /v1/settings/redaction-patterns': onCompany('GET', '/v1/settings/redaction-patterns', { inScope: true, where: 'query' }),
  'PUT /v1/settings/redaction-patterns': onCompany('PUT', '/v1/settings/redaction-patterns', {
    inScope: false,
    where: 'body',
    // Would hide the victim's own words from it, or (emptied) stop hiding what it chose to hide.
    body: () => ({ patterns: [{ name: 'attacker', source: 'Friday' }] }),
  }),
  'GET /v1/settings/speech-to-text': onCompany('GET', '/v1/settings/speech-to-text', { inScope: true, where: 'query' }),
  'PUT /v1/settings/speech-to-text': onCompany('PUT', '/v1/settings/speech-to-text', { inScope: false, where: 'body', body: () => ({ speechToText: 'none' }) }),
  'GET /v1/stats/scorecard': onCompany('GET', '/v1/stats/scorecard', { inScope: true, where: 'query', everyRole: true }),
  'GET /v1/stats/model-usage': onCompany('GET', '/v1/stats/model-usage', { inScope: true, where: 'query' }),
  'GET /v1/audit-events': onCompany('GET', '/v1/audit-events', { inScope: true, where: 'query' }),
  'GET /v1/companies': {
    mutation: false,
    probe: (context) =>
      fc.constant({ method: 'GET', url: '/v1/companies', principal: context.principal, mutation: false, roleAllowed: context.principal.role === 'superadmin' }),
  },
  'POST /v1/companies': {
    mutation: true,
    // A superadmin may create companies; the suite sends it an invalid one only, so the model stays exact.
    probe: (context) =>
      fc.constant({
        method: 'POST',
        url: '/v1/companies',
        payload: context.principal.role === 'superadmin' ? { name: '' } : { name: 'Intruder Inc' },
        principal: context.principal,
        mutation: true,
        roleAllowed: context.principal.role === 'superadmin',
        check: (response) =>
          response.statusCode === (context.principal.role === 'superadmin' ? 400 : 403) ? [] : [`POST /v1/companies answered ${response.statusCode}`],
      }),
  },
  'PATCH /v1/companies/:id': {
    mutation: true,
    // A company's own row is the only one its admin may change; the suite writes in scope only where the role must be refused.
    probe: (context) => {
      const { principal, world } = context;
      const candidates: Candidate[] = world.companies.map((company) => ({
        kind: principal.role === 'superadmin' || principal.companyId === company.id ? 'in' : 'out',
        id: company.id,
        data: undefined,
      }));
      return pickTarget(candidates, kindsFor(context, true)).map((target) =>
        targeted(context, target, (id) => ({ method: 'PATCH', url: `/v1/companies/${id}`, payload: { retentionDays: 30 } }), {
          mutation: true,
          roleAllowed: isAdmin(context),
        }),
      );
    },
  },
  'DELETE /v1/companies/:id': companyEnd('DELETE', ''),
  'GET /v1/companies/:id/offboarding': companyEnd('GET', '/offboarding'),
  'GET /v1/companies/:id/export': companyEnd('GET', '/export'),
  'GET /v1/api-keys': onCompany('GET', '/v1/api-keys', { inScope: true, where: 'query' }),
  'POST /v1/api-keys': onCompany('POST', '/v1/api-keys', { inScope: false, where: 'body', body: () => ({ name: 'probe', role: 'company_admin' }) }),
  'DELETE /v1/api-keys/:id': onEntity('/v1/api-keys', 'DELETE', noApiKeys),
  'POST /v1/api-keys/:id/rotate': onEntity('/v1/api-keys', 'POST', noApiKeys, () => fc.constant({}), '/rotate'),
  'GET /v1/webhook-endpoints': onCompany('GET', '/v1/webhook-endpoints', { inScope: true, where: 'query' }),
  'POST /v1/webhook-endpoints': onCompany('POST', '/v1/webhook-endpoints', {
    inScope: false,
    where: 'body',
    body: () => ({ url: 'https://crm.example/hooks', events: ['call.completed'] }),
  }),
  'PATCH /v1/webhook-endpoints/:id': onEntity('/v1/webhook-endpoints', 'PATCH', noEndpoints, () => fc.constant({ url: 'https://attacker.example/hooks' })),
  'DELETE /v1/webhook-endpoints/:id': onEntity('/v1/webhook-endpoints', 'DELETE', noEndpoints),
  'GET /v1/webhook-endpoints/:id/deliveries': onEntity('/v1/webhook-endpoints', 'GET', noEndpoints, undefined, '/deliveries'),
  'POST /v1/webhook-endpoints/:id/deliveries/:deliveryId/redeliver': onEntity(
    '/v1/webhook-endpoints',
    'POST',
    noEndpoints,
    () => fc.constant(undefined),
    `/deliveries/${randomUUID()}/redeliver`,
  ),
  'GET /v1/webhook-events': {
    mutation: false,
    probe: (context) =>
      fc.constant({
        method: 'GET',
        url: '/v1/webhook-events',
        principal: context.principal,
        mutation: false,
        roleAllowed: context.principal.role === 'superadmin',
      }),
  },
  'GET /v1/webhook-events/:id': webhookEvent('GET', ''),
  'POST /v1/webhook-events/:id/replay': webhookEvent('POST', '/replay'),
};

/**
 * A company's end is the platform operator's: anyone else gets 403 whichever company it names; a
 * superadmin is sent missing companies only, so the suite never offboards its own world.
 */
function companyEnd(method: 'GET' | 'DELETE', suffix: string): RouteGenerator {
  return {
    mutation: method !== 'GET',
    probe: (context) => {
      const superadmin = context.principal.role === 'superadmin';
      const candidates: Candidate[] = context.world.companies.map((company) => ({
        kind: superadmin || context.principal.companyId === company.id ? 'in' : 'out',
        id: company.id,
        data: undefined,
      }));
      return pickTarget(candidates, superadmin ? ['missing'] : ['in', 'out', 'missing']).map((target) =>
        targeted(context, target, (id) => ({ method, url: `/v1/companies/${id}${suffix}` }), { mutation: method !== 'GET', roleAllowed: superadmin }),
      );
    },
  };
}

/** The event store is the platform operator's: anyone else gets 403 for any event id. */
function webhookEvent(method: 'GET' | 'POST', suffix: string): RouteGenerator {
  return {
    mutation: method !== 'GET',
    probe: (context) => {
      const superadmin = context.principal.role === 'superadmin';
      const candidates = context.world.events.map((event) => ({ kind: (superadmin ? 'in' : 'out') as TargetKind, id: event.id, data: undefined }));
      return pickTarget(candidates).map((target) =>
        targeted(context, target, (id) => ({ method, url: `/v1/webhook-events/${id}${suffix}` }), { mutation: method !== 'GET', roleAllowed: superadmin }),
      );
    },
  };
}

/** The queue board's cookie sign-in: only a superadmin's token may open a session. */
export const boardSignInGenerators: Record<string, RouteGenerator> = {
  'GET /admin/sign-in': {
    mutation: false,
    probe: (context) => fc.constant({ method: 'GET', url: '/admin/sign-in', principal: context.principal, mutation: false, roleAllowed: true }),
  },
  'POST /admin/session': {
    mutation: false,
    probe: (context) =>
      fc.constantFrom('header', 'body').map((where) => ({
        method: 'POST' as const,
        url: '/admin/session',
        ...(where === 'body' ? { payload: { token: context.principal.token } } : {}),
        principal: context.principal,
        mutation: false,
        roleAllowed: context.principal.role === 'superadmin',
        check: (response) => {
          const cookie = String(response.headers['set-cookie'] ?? '');
          const opened = /callvault_admin=v1\./.test(cookie);
          if (context.principal.role === 'superadmin')
            return response.statusCode === 303 && opened ? [] : [`superadmin sign-in answered ${response.statusCode} without a session`];
          return response.statusCode === 403 && !opened
            ? []
            : [`a ${context.principal.role} got ${response.statusCode}${opened ? ' and a board session' : ''}`];
        },
      })),
  },
  'GET /admin/sign-out': {
    mutation: false,
    probe: (context) => fc.constant({ method: 'GET', url: '/admin/sign-out', principal: context.principal, mutation: false, roleAllowed: true }),
  },
  'POST /admin/sign-out': {
    mutation: false,
    probe: (context) => fc.constant({ method: 'POST', url: '/admin/sign-out', principal: context.principal, mutation: false, roleAllowed: true }),
  },
};
