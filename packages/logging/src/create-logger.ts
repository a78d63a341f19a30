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

export function createLogger(options: { name: string; level?: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The request URL can carry signed tenant tags or media tokens in its query: keep the path only.
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
        }),
        err: pino.stdSerializers.err,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
