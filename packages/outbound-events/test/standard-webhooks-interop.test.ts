import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { standardWebhookProblem } from '@callvault/testing';
import { generateSigningSecret } from '../src/signing-secret';

/**
 * The receiver the delivery tests use checks signatures with its own implementation of the
 * specification. It must agree with the reference library on what is valid, and refuse what is not:
 * otherwise "the receiver verified every delivery" would prove nothing.
 */
describe('the independent Standard Webhooks verifier', () => {
  const secret = generateSigningSecret();
  const body = JSON.stringify({ type: 'recording.stored', data: { recordingId: 'r1' } });
  const now = new Date();
  const headersFor = (signingSecret: string, at = now, id = 'msg_1') => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(signingSecret).sign(id, at, body),
  });

  it('accepts what the reference library signs, also among several signatures (secret rotation)', () => {
    expect(standardWebhookProblem(secret, headersFor(secret), body)).toBeUndefined();
    const rotated = headersFor(secret);
    rotated['webhook-signature'] = `${headersFor(generateSigningSecret())['webhook-signature']} ${rotated['webhook-signature']}`;
    expect(standardWebhookProblem(secret, rotated, body)).toBeUndefined();
  });

  it('refuses another body, another id, another secret, a stale timestamp, missing headers and unknown versions', () => {
    const headers = headersFor(secret);
    expect(standardWebhookProblem(secret, headers, body.replace('r1', 'r2'))).toBe('no signature matches');
    expect(standardWebhookProblem(secret, { ...headers, 'webhook-id': 'msg_2' }, body)).toBe('no signature matches');
    expect(standardWebhookProblem(secret, headersFor(generateSigningSecret()), body)).toBe('no signature matches');
    const stale = new Date(now.getTime() - 10 * 60 * 1000);
    expect(standardWebhookProblem(secret, headersFor(secret, stale), body)).toBe('timestamp outside the tolerance');
    expect(standardWebhookProblem(secret, { ...headers, 'webhook-signature': undefined }, body)).toBe('missing webhook headers');
    const v2 = headers['webhook-signature'].replace('v1,', 'v2,');
    expect(standardWebhookProblem(secret, { ...headers, 'webhook-signature': v2 }, body)).toBe('no signature matches');
  });
});
