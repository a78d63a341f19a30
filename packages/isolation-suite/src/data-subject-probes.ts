import fc from 'fast-check';
import { pickTarget, query, targeted, type Candidate, type ProbeContext, type RouteGenerator, type TargetKind } from './probe';

/**
 * Data-subject requests: a phone number and the company it is asked of. A company admin may ask
 * its own company (a superadmin any company it names); another company answers 404, agents and
 * managers 403. The number is drawn from the caller's own company's calls, since the export
 * repeats the number it was asked about (the gateway's data-subjects tests cover a number two
 * companies share). Erasure is sent in scope only where the role must be refused.
 */
function onSubject(method: 'GET' | 'DELETE'): RouteGenerator {
  const write = method === 'DELETE';
  return {
    mutation: write,
    probe: (context: ProbeContext) => {
      const { principal, world } = context;
      const roleAllowed = principal.role === 'company_admin' || principal.role === 'superadmin';
      const home = principal.companyId ?? world.companies[0]!.id;
      const numbers = world.calls.filter((call) => call.companyId === home).flatMap((call) => [call.from, call.to]);
      const candidates: Candidate[] = world.companies.map((company) => ({
        kind: principal.role === 'superadmin' || principal.companyId === company.id ? 'in' : 'out',
        id: company.id,
        data: undefined,
      }));
      const kinds: TargetKind[] = write && roleAllowed ? ['out', 'missing'] : ['in', 'out', 'missing'];
      return fc.tuple(fc.constantFrom(...(numbers.length > 0 ? numbers : ['+13125550100'])), pickTarget(candidates, kinds)).map(([e164, target]) =>
        targeted(context, target, (companyId) => ({ method, url: `/v1/data-subjects/${encodeURIComponent(e164)}${query({ companyId })}` }), {
          mutation: write,
          roleAllowed,
        }),
      );
    },
  };
}

export const dataSubjectGenerators: Record<string, RouteGenerator> = {
  'GET /v1/data-subjects/:e164': onSubject('GET'),
  'DELETE /v1/data-subjects/:e164': onSubject('DELETE'),
};
