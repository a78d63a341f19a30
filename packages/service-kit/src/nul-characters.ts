/**
 * Postgres cannot store a NUL character in text or jsonb. Services refuse it at the boundary
 * (gateway: 400) or store the request with it replaced (ingest keeps authentic events, rejected).
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, nested]) => key.includes('\u0000') || containsNul(nested, depth + 1));
}

/** A copy with every NUL (in keys and values) replaced by U+FFFD, the replacement character. */
export function replaceNul<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD') as T;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => replaceNul(item, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([key, nested]) => [key.replaceAll('\u0000', '\uFFFD'), replaceNul(nested, depth + 1)])) as T;
}
