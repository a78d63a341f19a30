import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('never writes secrets, signatures, tokens, phone numbers or query strings', () => {
    const { lines, stream } = capture();
    const log = createLogger({ name: 'test', level: 'info' }, stream);
    log.info(
      { authToken: 'tok-1', account: { authToken: 'tok-2', apiKey: 'key-3' }, token: 'jwt-4', from: '+14155550123', call: { To: '+13125550187' } },
      'event',
    );
    log.info(
      {
        req: {
          method: 'POST',
          url: '/webhooks/twilio/recording-status?cv=secret-tag',
          headers: { 'x-twilio-signature': 'sig-5', authorization: 'Bearer jwt-6' },
        },
      },
      'request',
    );
    // A data subject's number in the path, encoded, raw or without its plus.
    for (const url of ['/v1/data-subjects/%2B13125550777', '/v1/data-subjects/+13125550778', '/v1/data-subjects/13125550779?companyId=x'])
      log.info({ req: { method: 'GET', url } }, 'request');
    const output = lines.join('');
    for (const secret of ['tok-1', 'tok-2', 'key-3', 'jwt-4', '+14155550123', '+13125550187', 'secret-tag', 'sig-5', 'jwt-6', '1312555077'])
      expect(output).not.toContain(secret);
    expect(output).toContain('/webhooks/twilio/recording-status');
    expect(output).toContain('/v1/data-subjects/[number]');
  });
});
