import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { Principal, World } from './world';

/** How the id a request names relates to its caller: in scope, outside it, or nonexistent. */
export type TargetKind = 'in' | 'out' | 'missing';

export interface Target {
  kind: TargetKind;
  id: string;
}

export interface RequestShape {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
}

/** One request the suite sends, with what it knows about the answer it must get. */
export interface Probe extends RequestShape {
  principal: Principal;
  /** May this request write anything? Then the rows outside the caller's scope are compared around it. */
  mutation: boolean;
  /** May the caller's role use the route at all? Then an out-of-scope target must answer exactly 404. */
  roleAllowed: boolean;
  target?: Target;
  /** The same request naming a fresh random id instead of the target: it must be answered alike. */
  twin?: RequestShape;
  /** Statuses a request on an out-of-scope or missing target may get (default 403/404). */
  refusal?: number[];
  /** Route-specific checks; each returned string is a violation. */
  check?: (response: LightMyRequestResponse) => string[];
}

export interface ProbeContext {
  world: World;
  principal: Principal;
  /** The bucket signed URLs must point into. */
  bucket: string;
}

export interface RouteGenerator {
  /** Whether a probe of this route writes. */
  mutation: boolean;
  probe(context: ProbeContext): fc.Arbitrary<Probe>;
}

export interface Candidate<T = undefined> extends Target {
  data: T;
}

/** Draws one candidate, keeping a fair share of in-scope, out-of-scope and missing ids. */
export function pickTarget<T>(
  candidates: Array<Candidate<T>>,
  kinds: readonly TargetKind[] = ['in', 'out', 'missing'],
): fc.Arbitrary<Candidate<T | undefined>> {
  const groups = kinds
    .map((kind) => (kind === 'missing' ? [{ kind, id: randomUUID(), data: undefined }] : candidates.filter((candidate) => candidate.kind === kind)))
    .filter((group) => group.length > 0);
  return fc.oneof(...groups.map((group) => fc.constantFrom(...(group as Array<Candidate<T | undefined>>))));
}

/** A probe naming `target`, with its twin built by the same function from a fresh id. */
export function targeted(
  context: ProbeContext,
  target: Target,
  build: (id: string) => RequestShape,
  rest: Omit<Probe, 'principal' | 'target' | 'twin' | keyof RequestShape>,
): Probe {
  return { ...build(target.id), ...rest, principal: context.principal, target, ...(target.kind === 'out' ? { twin: build(randomUUID()) } : {}) };
}

export const query = (params: Record<string, string | number | boolean | undefined>) => {
  const entries = Object.entries(params).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
};
