import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '@callvault/db';
import { changedRows, protectedFor, snapshot } from './db-snapshot';
import { errorBodyProblems, leakedTokens } from './leak-scan';
import type { Probe, RequestShape } from './probe';
import type { Principal, World } from './world';

export type ViolationCategory = 'server-error' | 'error-shape' | 'leak' | 'out-of-scope-status' | 'distinguishable' | 'mutation-changed' | 'route-check';

export interface Violation {
  category: ViolationCategory;
  route: string;
  role: Principal['role'];
  request: string;
  detail: string;
}

export interface ProbeRunner {
  run(route: string, probe: Probe): Promise<void>;
  readonly requests: number;
  /** Requests answered 429 (rate limit), whose other checks were skipped. */
  readonly rateLimited: number;
  readonly violations: Violation[];
  /** Answers per route, as "role:target kind:status" → count (printed with ISOLATION_VERBOSE=1). */
  readonly statuses: Map<string, Map<string, number>>;
}

export function inject(app: FastifyInstance, principal: Principal, request: RequestShape): Promise<LightMyRequestResponse> {
  return app.inject({
    method: request.method,
    url: request.url,
    headers: { authorization: `Bearer ${principal.token}`, 'user-agent': 'isolation-suite' },
    ...(request.payload === undefined ? {} : { payload: request.payload as object }),
  });
}

const describe = (request: RequestShape) => `${request.method} ${request.url}${request.payload === undefined ? '' : ` ${JSON.stringify(request.payload)}`}`;

/**
 * Sends probes and records every broken promise instead of stopping at the first, so one run
 * reports all of them. `forbidden` holds each principal's forbidden tokens (see world-model).
 */
export function createProbeRunner(app: FastifyInstance, ownerDb: Kysely<Database>, world: World, forbidden: Map<Principal, Map<string, string>>): ProbeRunner {
  const violations: Violation[] = [];
  let requests = 0;
  let rateLimited = 0;

  const statuses = new Map<string, Map<string, number>>();
  const send = async (route: string, probe: Probe, request: RequestShape) => {
    requests += 1;
    const response = await inject(app, probe.principal, request);
    const counts = statuses.get(route) ?? new Map<string, number>();
    const key = `${probe.principal.role}:${probe.target?.kind ?? '-'}:${response.statusCode}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    statuses.set(route, counts);
    const report = (category: ViolationCategory, detail: string) =>
      violations.push({
        category,
        route,
        role: probe.principal.role,
        request: `as ${probe.principal.role} ${probe.principal.id}: ${describe(request)}`,
        detail,
      });
    if (response.statusCode >= 500) report('server-error', `${response.statusCode} ${response.body.slice(0, 300)}`);
    for (const problem of errorBodyProblems(response)) report('error-shape', problem);
    const leaked = leakedTokens(forbidden.get(probe.principal)!, response, describe(request));
    if (leaked.length > 0) {
      const token = leaked[0]!.split(' ')[0]!;
      const text = `${JSON.stringify(response.headers)} ${response.body}`;
      const at = text.toLowerCase().indexOf(token);
      report('leak', `${response.statusCode} carries ${leaked.slice(0, 5).join(', ')} in "…${text.slice(Math.max(0, at - 150), at + 80)}…"`);
    }
    return { response, report };
  };

  return {
    get requests() {
      return requests;
    },
    statuses,
    get rateLimited() {
      return rateLimited;
    },
    violations,
    async run(route, probe) {
      const before = probe.mutation ? await snapshot(ownerDb) : undefined;
      const { response, report } = await send(route, probe, probe);
      // A long local run can exceed the per-user rate limit: such an answer says nothing about scope.
      if (response.statusCode === 429) {
        rateLimited += 1;
        return;
      }
      const target = probe.target;
      if (target && target.kind !== 'in') {
        const allowed = probe.refusal ?? (probe.roleAllowed ? [404] : [403, 404]);
        if (!allowed.includes(response.statusCode))
          report(
            'out-of-scope-status',
            `${target.kind} target ${target.id} answered ${response.statusCode}, expected ${allowed.join('/')}: ${response.body.slice(0, 200)}`,
          );
      }
      if (target && probe.twin) {
        const twin = await send(route, probe, probe.twin);
        const code = (value: LightMyRequestResponse) =>
          `${value.statusCode} ${value.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')}`;
        if (code(response) !== code(twin.response))
          report(
            'distinguishable',
            `out-of-scope answer "${code(response).slice(0, 160)}" differs from missing-id answer "${code(twin.response).slice(0, 160)}"`,
          );
      }
      if (before) {
        const after = await snapshot(ownerDb);
        const refused = response.statusCode >= 400 || (target !== undefined && target.kind !== 'in');
        const changes = changedRows(before, after, refused ? undefined : protectedFor(world, probe.principal));
        if (changes.length > 0)
          report('mutation-changed', `${response.statusCode} ${refused ? 'refused request' : 'request'} changed ${changes.slice(0, 5).join('; ')}`);
      }
      for (const problem of probe.check?.(response) ?? []) report('route-check', problem);
    },
  };
}
