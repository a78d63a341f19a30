import type { Provider } from '@callvault/db';
import { TWILIO_KEPT_FIELDS } from './twilio/twilio-redaction';
import { VAPI_KEPT_PATHS } from './vapi/vapi-redaction';

/** What stands where a provider payload's content was. */
export const REDACTED = '[redacted]';

/**
 * A stored provider payload with its content gone: only the listed paths (ids, statuses, times,
 * costs: what deduplication, the audit trail and the rollups need) keep their values; every other
 * leaf becomes `[redacted]`, and arrays of content are emptied. A keep-list rather than a
 * drop-list, so a field a provider adds tomorrow is redacted without anyone noticing it exists.
 */
export function redactProviderPayload(provider: Provider, payload: Record<string, unknown>): Record<string, unknown> {
  if (provider === 'twilio')
    return keepPaths(
      payload,
      TWILIO_KEPT_FIELDS.map((field) => [field]),
    ) as Record<string, unknown>;
  return keepPaths(
    payload,
    VAPI_KEPT_PATHS.map((path) => path.split('.')),
  ) as Record<string, unknown>;
}

function keepPaths(value: unknown, kept: readonly string[][]): unknown {
  if (kept.some((path) => path.length === 0)) return value;
  if (Array.isArray(value)) return [];
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const below = kept.filter((path) => path[0] === key).map((path) => path.slice(1));
      // An object nobody keeps anything of is dropped whole: its keys could be content too.
      if (below.length === 0 && child !== null && typeof child === 'object') continue;
      out[key] = below.length === 0 ? REDACTED : keepPaths(child, below);
    }
    return out;
  }
  return REDACTED;
}
