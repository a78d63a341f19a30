import twilio from 'twilio';

export type TwilioParams = Record<string, string | string[]>;

/** The URL Twilio signed: our configured public base plus the path and query exactly as received. */
export function signedUrlFor(publicBaseUrl: string, rawPathAndQuery: string): string {
  return `${publicBaseUrl}${rawPathAndQuery}`;
}

/**
 * Twilio's own validation (HMAC-SHA1 over the URL and sorted POST fields, compared in constant
 * time). Tries each token registered for the account: normally one; two while a token is rotated.
 */
export function isValidTwilioSignature(authTokens: string[], signature: string | undefined, url: string, params: TwilioParams): boolean {
  if (!signature || signature.length > 200) return false;
  let valid = false;
  for (const token of authTokens) {
    // No early exit: the time taken does not tell which token matched.
    if (twilio.validateRequest(token, signature, url, params as Record<string, string>)) valid = true;
  }
  return valid;
}

/** Parses a form body into Twilio's params shape; a repeated field becomes an array (and is later rejected). */
export function parseForm(body: string): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else params[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}
