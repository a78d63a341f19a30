/** One invalid field of a validation problem. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** A gateway answer that was not a success: the gateway's status, code and detail, and the request id to quote to support. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * The ApiError of a failed answer. The gateway answers RFC 9457 problems (`detail`, `code`,
 * `requestId`, `errors[]`); an older gateway's `{ message }` is still read, and the request id
 * falls back to the X-Request-Id header (a body a proxy wrote has none).
 */
export function apiErrorFrom(response: Pick<Response, 'status' | 'statusText' | 'headers'>, body: unknown): ApiError {
  const problem = (body ?? {}) as { code?: unknown; detail?: unknown; message?: unknown; requestId?: unknown; errors?: unknown };
  const fieldErrors = Array.isArray(problem.errors)
    ? problem.errors.filter((entry): entry is FieldError => typeof entry?.pointer === 'string' && typeof entry?.detail === 'string')
    : [];
  return new ApiError(
    response.status,
    text(problem.code) ?? 'error',
    text(problem.detail) ?? text(problem.message) ?? (response.statusText || `HTTP ${response.status}`),
    text(problem.requestId) ?? response.headers.get('x-request-id'),
    fieldErrors,
  );
}
