/**
 * The ingest service's endpoints, which Twilio and VAPI call (not SDKs). They are described here,
 * in the gateway's document, so an integrator finds the whole surface in one place; each path
 * names the ingest server (PUBLIC_BASE_URL), and the typed client leaves the `ingest` tag out.
 * Ingest itself serves no document: its bodies are the providers' formats, read raw so that
 * signatures can be checked over the exact bytes.
 */
const replies = (extra: Record<string, unknown> = {}) => ({
  ...extra,
  '202': { description: 'authentic, but no company could be resolved: stored as quarantined, nothing enqueued' },
  '204': { description: 'accepted, or an exact duplicate of an accepted event: stored once, enqueued once' },
  '400': { description: 'authentic but malformed (a required field missing or invalid): stored as rejected with the reason' },
  '413': { description: 'body too large (Twilio forms over 64 KiB, VAPI over 8 MiB): nothing stored' },
  '415': { description: 'wrong content type: nothing stored' },
  '503': { description: 'the event could not be stored durably: nothing acknowledged, so the provider retries' },
});

const twilioForm = (summary: string, fields: Record<string, string>) => ({
  tags: ['ingest'],
  summary,
  security: [],
  parameters: [
    {
      name: 'X-Twilio-Signature',
      in: 'header',
      required: true,
      description: "Twilio's signature over PUBLIC_BASE_URL + path and query, with the account's auth token",
      schema: { type: 'string' },
    },
  ],
  requestBody: {
    required: true,
    content: {
      'application/x-www-form-urlencoded': {
        schema: {
          type: 'object',
          required: ['AccountSid'],
          additionalProperties: { type: 'string' },
          properties: Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, { type: 'string', description }])),
        },
      },
    },
  },
  responses: replies({ '403': { description: 'unknown account or bad signature: nothing stored' } }),
});

export function ingestPaths(ingestUrl: string): Record<string, unknown> {
  const servers = [{ url: ingestUrl, description: 'ingest (PUBLIC_BASE_URL)' }];
  return {
    '/webhooks/twilio/recording-status': {
      servers,
      post: {
        operationId: 'twilioRecordingStatus',
        ...twilioForm('Twilio recordingStatusCallback', {
          AccountSid: 'the Twilio account (registered by a company)',
          CallSid: 'the call',
          RecordingSid: 'the recording',
          RecordingStatus: 'in-progress, completed, absent, failed',
          RecordingUrl: 'where the fetcher downloads the audio',
        }),
      },
    },
    '/webhooks/twilio/call-status': {
      servers,
      post: {
        operationId: 'twilioCallStatus',
        ...twilioForm('Twilio call StatusCallback', {
          AccountSid: 'the Twilio account',
          CallSid: 'the call',
          CallStatus: 'queued ... completed',
          SequenceNumber: 'orders the callbacks of one call',
        }),
      },
    },
    '/webhooks/twilio/transcription': {
      servers,
      post: {
        operationId: 'twilioTranscription',
        ...twilioForm('Twilio transcribeCallback', {
          AccountSid: 'the Twilio account',
          TranscriptionSid: 'the transcription',
          RecordingSid: 'the recording it transcribes',
          TranscriptionText: 'the text',
        }),
      },
    },
    '/webhooks/vapi': {
      servers,
      post: {
        operationId: 'vapiServerMessage',
        tags: ['ingest'],
        summary: 'VAPI server URL messages (end-of-call-report, status-update, assistant-request, ...)',
        security: [],
        parameters: [
          {
            name: 'X-Vapi-Secret',
            in: 'header',
            required: false,
            description: "the org's shared secret (or Authorization: Bearer)",
            schema: { type: 'string' },
          },
          {
            name: 'x-signature',
            in: 'header',
            required: false,
            description: 'hex HMAC-SHA256 of "{x-timestamp}.{body}" with the org\'s HMAC key',
            schema: { type: 'string' },
          },
          { name: 'x-timestamp', in: 'header', required: false, description: 'within 5 minutes of now', schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['message'],
                properties: {
                  message: {
                    type: 'object',
                    required: ['type'],
                    properties: { type: { type: 'string' }, call: { type: 'object', properties: { id: { type: 'string' }, orgId: { type: 'string' } } } },
                  },
                },
              },
            },
          },
        },
        responses: replies({
          '200': {
            description:
              'assistant-request: `{ assistantId, assistantOverrides: { metadata: { callvault } } }`, or `{ error }` when the number is not registered',
          },
          '401': { description: 'authentication failed: nothing stored' },
        }),
      },
    },
  };
}
