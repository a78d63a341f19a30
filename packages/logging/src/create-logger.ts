import pino, { type Logger, type DestinationStream } from 'pino';

/**
 * Paths never written to a log. Secrets and signatures could be replayed; phone numbers are
 * personal data. Wildcards cover one level of nesting, which is where our log objects put them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-vapi-secret"]',
  'req.headers["x-signature"]',
  'req.headers["i-twilio-idempotency-token"]',
  'res.headers["set-cookie"]',
  'res.headers.location',
  '*.authToken',
  '*.apiKey',
  '*.apiKeySecret',
  '*.webhookSecret',
  '*.webhookHmacKey',
  '*.password',
  '*.secret',
  '*.token',
  '*.signature',
  '*.url',
  '*.signedUrl',
  '*.from',
  '*.to',
  '*.From',
  '*.To',
  '*.e164',
  '*.phoneNumber',
  'authToken',
  'apiKey',
  'token',
  'signature',
  'signedUrl',
  'url',
  'from',
  'to',
  'e164',
];

export type { Logger };

/** A path segment that is a phone number (E.164, URL-encoded or not, or its bare digits). */
const PHONE_SEGMENT = /^(?:\+|%2B)?[0-9]{6,15}$/i;

/**
 * The request path as logged: without the query (it can carry signed tenant tags or media tokens)
 * and with phone numbers in it masked (`/v1/data-subjects/{e164}` names a person).
 */
export function loggablePath(url: string): string {
  return url
    .split('?')[0]!
    .split('/')
    .map((segment) => (PHONE_SEGMENT.test(segment) ? '[number]' : segment))
    .join('/');
}

export function createLogger(options: { name: string; level?: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          path: typeof req.url === 'string' ? loggablePath(req.url) : undefined,
        }),
        err: pino.stdSerializers.err,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
