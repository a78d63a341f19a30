import { EVENT_DATA } from '@callvault/outbound-events';
import { z } from 'zod';
import { timestamp } from './formats';

const componentName = (type: string) => `${type.replace(/(^|\.)(\w)/g, (_, _dot, letter: string) => letter.toUpperCase())}Event`;
const eventRef = (type: string) => ({ $ref: `#/components/schemas/${componentName(type)}` });
const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
  example,
});

/** The Standard Webhooks headers every delivery carries; the same webhook-id on every attempt. */
const WEBHOOK_HEADERS = {
  WebhookId: header('webhook-id', 'the delivery id: the same on every attempt, so a receiver can drop repeats', 'msg_2b6f0c1e-7a3d-4f1e-9c5b-8d2a1e0f3c4b'),
  WebhookTimestamp: header('webhook-timestamp', 'Unix seconds of this attempt; refuse old ones to stop replays', '1767225600'),
  WebhookSignature: header(
    'webhook-signature',
    'v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64 after `whsec_`>; space-separated while a secret rotates',
    'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  ),
};

/** The envelope of one event type as a JSON Schema: `{ type, timestamp, data }`. */
function eventSchema(type: keyof typeof EVENT_DATA): Record<string, unknown> {
  const envelope = z.object({
    type: z.literal(type),
    timestamp,
    data: EVENT_DATA[type].extend({ companyId: z.uuid() }),
  });
  const { $schema: _dialect, ...json } = z.toJSONSchema(envelope, { target: 'draft-2020-12', io: 'output' });
  return { ...json, description: `Sent to each enabled endpoint of the company that subscribed to \`${type}\`.` };
}

/**
 * The outbound events as the document's `webhooks`: what a company's endpoint receives, with
 * the payload schemas recordOutboundEvent is typed by (EVENT_DATA), so they cannot drift apart.
 */
export function outboundWebhooks(): { webhooks: Record<string, unknown>; schemas: Record<string, unknown>; parameters: Record<string, unknown> } {
  const types = Object.keys(EVENT_DATA) as (keyof typeof EVENT_DATA)[];
  const parameters = Object.keys(WEBHOOK_HEADERS).map((name) => ({ $ref: `#/components/parameters/${name}` }));
  const webhooks = Object.fromEntries(
    types.map((type) => [
      type,
      {
        post: {
          operationId: `on${componentName(type).replace(/Event$/, '')}`,
          summary: `${type}: sent to your endpoint`,
          tags: ['outbound events'],
          parameters,
          requestBody: { required: true, content: { 'application/json': { schema: eventRef(type) } } },
          responses: {
            '2XX': { description: 'received; any other answer (or none within the timeout) is retried with exponential backoff' },
          },
        },
      },
    ]),
  );
  const schemas = Object.fromEntries(types.map((type) => [componentName(type), eventSchema(type)]));
  return { webhooks, schemas, parameters: WEBHOOK_HEADERS };
}
