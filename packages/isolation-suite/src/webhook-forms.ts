import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp, composeIngest } from '@callvault/ingest';
import { connectProducer, type Producer } from '@callvault/queue';
import { freePort, type TestEnvironment } from '@callvault/testing';

const FIXTURES = new URL('../../testing/fixtures/', import.meta.url);
const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export type TwilioKind = 'recording-status' | 'call-status' | 'transcription';
const FORM_OF: Record<TwilioKind, string> = {
  'recording-status': 'recording-status-completed',
  'call-status': 'call-status-completed',
  transcription: 'transcription-completed',
};

/** A Twilio callback form from the shared fixtures, for a fresh call of `accountSid`. */
export function twilioForm(kind: TwilioKind, accountSid: string): Record<string, string> {
  const form = Object.fromEntries(new URLSearchParams(readFileSync(new URL(`twilio/${FORM_OF[kind]}.form`, FIXTURES), 'utf8').trim()));
  const fresh: Record<string, string> = { AccountSid: accountSid, CallSid: sid('CA') };
  if ('RecordingSid' in form) fresh.RecordingSid = sid('RE');
  if ('TranscriptionSid' in form) fresh.TranscriptionSid = sid('TR');
  if ('RecordingUrl' in form) fresh.RecordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${fresh.RecordingSid}`;
  return { ...form, ...fresh };
}

/** A VAPI server message from the shared fixtures, for a fresh call of `orgId`. */
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON, edited freely by the tests.
export function vapiMessage(name: 'status-update' | 'end-of-call-report', orgId: string): { message: Record<string, any> } {
  // biome-ignore lint/suspicious/noExplicitAny: fixture JSON, edited freely by the tests.
  const body = JSON.parse(readFileSync(new URL(`vapi/${name}.json`, FIXTURES), 'utf8')) as { message: Record<string, any> };
  body.message.call = { ...body.message.call, orgId, id: randomUUID() };
  return body;
}

export interface RunningIngest {
  app: FastifyInstance;
  url: string;
  producer: Producer;
  /** Waits until the effects of every event acknowledged so far have committed (they follow the reply). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A real ingest on a real port (signatures are checked against env.config.PUBLIC_BASE_URL). */
export async function startIngest(env: TestEnvironment): Promise<RunningIngest> {
  const producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  const deps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
  const app = buildApp(deps);
  deps.effects.start();
  deps.relay.start();
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    producer,
    settled: () => deps.effects.settled(),
    async close() {
      await app.close();
      await deps.effects.stop();
      await deps.relay.stop();
      await producer.close();
    },
  };
}
