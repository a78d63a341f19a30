import type { ProblemFieldError } from './problem-details';

/** One entry of a Fastify validation error: Ajv's shape, which fastify-type-provider-zod mimics. */
interface ValidationEntry {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Fastify's names for the parts of a request, as they appear in a pointer. */
const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/** RFC 6901: `~` and `/` inside a reference token are escaped. */
const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The field errors of a validation failure, each a JSON Pointer into the request seen as
 * `{ body, query, params, headers }` (e.g. `/query/limit`, `/body/tags/3`). A missing or unknown
 * property points at the property itself, not at the object holding it.
 */
export function fieldErrorsOf(validation: readonly ValidationEntry[], context: string | undefined): ProblemFieldError[] {
  const base = `/${PART[context ?? ''] ?? 'body'}`;
  return validation.flatMap((entry) => {
    const at = `${base}${entry.instancePath === '/' ? '' : (entry.instancePath ?? '')}`;
    const params = entry.params ?? {};
    // Ajv names one property per error; zod's unrecognized_keys names them all at once.
    const named = [params.missingProperty, params.additionalProperty].filter((value): value is string => typeof value === 'string');
    const keys = Array.isArray(params.keys) ? params.keys.filter((key): key is string => typeof key === 'string') : [];
    if (keys.length > 0) return keys.map((key) => ({ pointer: `${at}/${escapeToken(key)}`, detail: 'unknown field' }));
    const detail = entry.message ?? 'invalid value';
    if (named.length > 0) return named.map((name) => ({ pointer: `${at}/${escapeToken(name)}`, detail }));
    return [{ pointer: at, detail }];
  });
}
