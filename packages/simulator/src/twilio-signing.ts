import twilio from 'twilio';

/** Signs a form callback exactly as Twilio does, with the twilio package's own function. */
export function signTwilioForm(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function encodeForm(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
