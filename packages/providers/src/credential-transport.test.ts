import { describe, expect, it } from 'vitest';
import { assertCredentialTransport } from './credential-transport';
import { InsecureTransportError } from './provider-errors';

describe('credential transport', () => {
  it('allows https anywhere and plain http to loopback only', () => {
    expect(() => assertCredentialTransport(new URL('https://api.twilio.com/x'))).not.toThrow();
    for (const url of ['http://127.0.0.1:3010/x', 'http://localhost:3010/x', 'http://[::1]:3010/x'])
      expect(() => assertCredentialTransport(new URL(url))).not.toThrow();
    for (const url of ['http://api.twilio.com/x', 'http://10.0.0.5/x', 'http://127.0.0.1.example.com/x', 'ftp://127.0.0.1/x']) {
      expect(() => assertCredentialTransport(new URL(url))).toThrow(InsecureTransportError);
    }
  });

  it('refuses a redirect that downgrades https, even to loopback', () => {
    expect(() => assertCredentialTransport(new URL('http://127.0.0.1/x'), new URL('https://api.twilio.com/y'))).toThrow(/redirect from https/);
    expect(() => assertCredentialTransport(new URL('https://storage.example/x'), new URL('https://api.twilio.com/y'))).not.toThrow();
  });
});
