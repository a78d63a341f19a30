import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProducer, type Producer } from '@callvault/queue';
import { encodeForm, signTwilioForm } from '@callvault/simulator';
import { createTestEnvironment, fakeSid, seedCompany, seedPhoneNumber, seedTwilioAccount, type TestEnvironment, twilioFormFixture } from '@callvault/testing';
import { buildApp } from '../src/app';
import { composeIngest } from '../src/compose-ingest';
import { createEventIntake } from '../src/event-intake';

let env: TestEnvironment;
let producer: Producer;
beforeAll(async () => {
  env = await createTestEnvironment();
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
});
afterAll(async () => {
  await producer?.close();
  await env?.close();
});

describe('a call decided by events whose effects have not committed yet', () => {
  it('keeps its company for the next event of the call on a shared account', async () => {
    // One Twilio account a superadmin shares between two companies: only the number tells them apart, and a
    // recording callback carries no number, so it follows the call's first event.
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    const [first, second] = [await seedCompany(env), await seedCompany(env)];
    for (const company of [first, second]) await seedTwilioAccount(env, company.id, { accountSid, authToken, shared: true });
    const to = `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    await seedPhoneNumber(env, second.id, { e164: to, matchOn: 'to' });

    // The effects loop never runs (as between a reply and its effects): the call row never exists.
    const deps = composeIngest({ config: env.config, db: env.db, producer, log: env.log });
    const app = buildApp({ ...deps, intake: createEventIntake({ db: env.db, log: env.log, onStored: () => undefined }) });
    const post = (path: string, params: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioForm(authToken, `${env.config.PUBLIC_BASE_URL}${path}`, params),
        },
        payload: encodeForm(params),
      });
    try {
      const callSid = fakeSid('CA');
      expect(
        (await post('/webhooks/twilio/call-status', { ...twilioFormFixture('call-status-completed'), AccountSid: accountSid, CallSid: callSid, To: to }))
          .statusCode,
      ).toBe(204);
      expect(await env.ownerDb.selectFrom('calls').select('id').where('twilio_call_sid', '=', callSid).execute()).toHaveLength(0);
      const recordingSid = fakeSid('RE');
      expect(
        (
          await post('/webhooks/twilio/recording-status', {
            ...twilioFormFixture('recording-status-completed'),
            AccountSid: accountSid,
            CallSid: callSid,
            RecordingSid: recordingSid,
          })
        ).statusCode,
      ).toBe(204);
      const events = await env.ownerDb
        .selectFrom('webhook_events')
        .select(['event_type', 'status', 'company_id'])
        .where('call_ref', '=', callSid)
        .orderBy('received_at')
        .execute();
      expect(events).toEqual([
        { event_type: 'call-status', status: 'accepted', company_id: second.id },
        { event_type: 'recording-status', status: 'accepted', company_id: second.id },
      ]);

      // Control: a call nobody has heard of on the same account is still quarantined, not guessed.
      expect(
        (
          await post('/webhooks/twilio/recording-status', {
            ...twilioFormFixture('recording-status-completed'),
            AccountSid: accountSid,
            CallSid: fakeSid('CA'),
            RecordingSid: fakeSid('RE'),
          })
        ).statusCode,
      ).toBe(202);
    } finally {
      await app.close();
    }
  });
});
