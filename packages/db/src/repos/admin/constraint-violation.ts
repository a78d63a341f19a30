/**
 * Which integrity rule a failed statement broke, so an API can answer 400/409 with its own
 * words instead of a 500. The constraint name never leaves the server: it is for matching only.
 */
export interface ConstraintViolation {
  kind: 'unique' | 'exclusion' | 'foreign_key' | 'check' | 'not_null';
  constraint: string | null;
}

const KIND_BY_SQLSTATE: Record<string, ConstraintViolation['kind']> = {
  '23505': 'unique',
  '23P01': 'exclusion',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
};

export function constraintViolationOf(error: unknown): ConstraintViolation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  const kind = typeof code === 'string' ? KIND_BY_SQLSTATE[code] : undefined;
  return kind ? { kind, constraint: typeof constraint === 'string' ? constraint : null } : undefined;
}
