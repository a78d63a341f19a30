import type { TwilioParams } from '@callvault/events';
import twilio from 'twilio';

/** The URL Twilio signed: our configured public base plus the path and query exactly as received. */
export function signedUrlFor(publicBaseUrl: string, rawPathAndQuery: string): string {
  return `${publicBaseUrl}${rawPathAndQuery}`;
}

/** Twilio's own validation (HMAC-SHA1 over the URL and sorted POST fields, compared in constant time). */
export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: TwilioParams): boolean {
  if (!signature || signature.length > 200 || !authToken) return false;
  return twilio.validateRequest(authToken, signature, url, params as Record<string, string>);
}

/**
 * Parses a form body into Twilio's params shape; a repeated field becomes an array (and is later
 * rejected). The object has no prototype: a field named `__proto__` or `constructor` is a field.
 */
export function parseForm(body: string): TwilioParams {
  const params: TwilioParams = Object.create(null) as TwilioParams;
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else params[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}
