import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let direct: AdminWorld;
let behindProxy: AdminWorld;

beforeAll(async () => {
  direct = await createAdminWorld();
  behindProxy = await createAdminWorld({ TRUST_PROXY: '10.0.0.0/8' });
});

afterAll(async () => {
  await direct?.close();
  await behindProxy?.close();
});

const readTwilioSettings = (world: AdminWorld, remoteAddress: string, forwardedFor?: string) =>
  world.app.inject({
    method: 'GET',
    url: `/v1/settings/twilio?companyId=${world.a.id}`,
    remoteAddress,
    headers: { authorization: `Bearer ${world.tokens.superadmin}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  });

describe('/v1 responses', () => {
  it('are never cached, errors included', async () => {
    for (const response of [
      await direct.call(direct.tokens.adminA, 'GET', '/v1/me'),
      await direct.call(direct.tokens.adminA, 'GET', '/v1/recordings/00000000-0000-4000-8000-000000000000'),
      await direct.app.inject({ method: 'GET', url: '/v1/me' }),
    ]) {
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('audit addresses behind a load balancer', () => {
  it('record the client from X-Forwarded-For only when the hop is a trusted proxy (TRUST_PROXY)', async () => {
    await readTwilioSettings(behindProxy, '10.1.2.3', '203.0.113.7');
    expect((await auditTrail(behindProxy.env, behindProxy.a.id, 'settings.twilio.read')).at(-1)).toMatchObject({ ip: '203.0.113.7' });
    // A client outside the trusted range cannot choose its recorded address.
    await readTwilioSettings(behindProxy, '198.51.100.9', '203.0.113.7');
    expect((await auditTrail(behindProxy.env, behindProxy.a.id, 'settings.twilio.read')).at(-1)).toMatchObject({ ip: '198.51.100.9' });
    // Without TRUST_PROXY the header is ignored.
    await readTwilioSettings(direct, '10.1.2.3', '203.0.113.7');
    expect((await auditTrail(direct.env, direct.a.id, 'settings.twilio.read')).at(-1)).toMatchObject({ ip: '10.1.2.3' });
  });
});
