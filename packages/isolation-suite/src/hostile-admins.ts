import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { signTenantTag } from '@callvault/crypto';
import { upsertProviderAccount, withCompany } from '@callvault/db';
import { deliverTwilioWebhook, deliverVapiWebhook, type SimAccount, type SimVapiOrg, type Simulator } from '@callvault/simulator';
import { fakeSid, seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, seedVapiAccount, tokenFor, type TestEnvironment } from '@callvault/testing';
import { distinctNumber } from './world';

/**
 * A company admin acting in bad faith against two honest companies: a victim, whose
 * identifiers the attacker aims at, and a decoy, which holds identifiers of the same kinds, so
 * that "the same answer whoever holds it" can be checked by asking about both.
 */
export interface Tenant {
  companyId: string;
  admin: { id: string; subject: string; token: string };
  agent: { id: string; subject: string };
  twilio: SimAccount;
  org: SimVapiOrg & { webhookSecret: string };
  /** The company's own line, matchOn "to", owned by its agent (one of its Twilio incoming numbers). */
  line: string;
  /** The company's outbound line, matchOn "from", owned by its agent. */
  outbound: string;
}

export interface HostileWorld {
  env: TestEnvironment;
  sim: Simulator;
  ingestUrl: string;
  gateway: FastifyInstance;
  /** Waits until the effects of everything ingest acknowledged have committed. */
  settled(): Promise<void>;
}

/** Which identifier an attacker action names: the victim's, the decoy's, or one nobody holds. */
export type Target = 'victim' | 'decoy' | 'fresh';

export type Action =
  | { kind: 'claim-twilio'; target: Target }
  | { kind: 'claim-vapi'; target: Target }
  | { kind: 'claim-number'; target: Target; which: 'line' | 'outbound'; matchOn: 'from' | 'to' }
  | { kind: 'claim-subject'; target: Target }
  | { kind: 'legacy-claim'; provider: 'twilio' | 'vapi' }
  | { kind: 'attacker-webhook'; provider: 'twilio' | 'vapi'; via: 'own' | 'claimed'; names: 'line' | 'outbound' | 'fresh'; leakedTag: boolean }
  | { kind: 'replay-genuine' }
  | { kind: 'rotate-own' }
  | { kind: 'genuine'; who: 'victim' | 'decoy'; provider: 'twilio' | 'vapi' };

const target = fc.constantFrom<Target>('victim', 'decoy', 'fresh');

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('claim-twilio' as const), target }),
  fc.record({ kind: fc.constant('claim-vapi' as const), target }),
  fc.record({
    kind: fc.constant('claim-number' as const),
    target,
    which: fc.constantFrom('line' as const, 'outbound' as const),
    matchOn: fc.constantFrom('from' as const, 'to' as const),
  }),
  fc.record({ kind: fc.constant('claim-subject' as const), target }),
  fc.record({ kind: fc.constant('legacy-claim' as const), provider: fc.constantFrom('twilio' as const, 'vapi' as const) }),
  fc.record({
    kind: fc.constant('attacker-webhook' as const),
    provider: fc.constantFrom('twilio' as const, 'vapi' as const),
    via: fc.constantFrom('own' as const, 'claimed' as const),
    names: fc.constantFrom('line' as const, 'outbound' as const, 'fresh' as const),
    leakedTag: fc.boolean(),
  }),
  fc.constant({ kind: 'replay-genuine' as const }),
  fc.constant({ kind: 'rotate-own' as const }),
  fc.record({
    kind: fc.constant('genuine' as const),
    who: fc.constantFrom('victim' as const, 'decoy' as const),
    provider: fc.constantFrom('twilio' as const, 'vapi' as const),
  }),
);

const FIXTURES = new URL('../../testing/fixtures/', import.meta.url);
const CALL_COMPLETED = Object.fromEntries(new URLSearchParams(readFileSync(new URL('twilio/call-status-completed.form', FIXTURES), 'utf8').trim()));
const REPORT = JSON.parse(readFileSync(new URL('vapi/end-of-call-report.json', FIXTURES), 'utf8')) as {
  message: Record<string, unknown> & { call: Record<string, unknown> };
};

/** A company as registered through the API: its own Twilio account and VAPI org, proven; two lines owned by its agent. */
export async function createTenant(world: HostileWorld, role: string): Promise<Tenant> {
  const { env, sim } = world;
  const company = await seedCompany(env, `${role} ${randomBytes(3).toString('hex')}`);
  const admin = await seedUser(env, company.id, 'company_admin');
  const agent = await seedUser(env, company.id, 'agent');
  const twilio = sim.state.addAccount();
  const org = { ...sim.vapi.addOrg(), webhookSecret: `hook-${randomBytes(12).toString('hex')}` };
  await seedTwilioAccount(env, company.id, { accountSid: twilio.accountSid, authToken: twilio.authToken });
  await seedVapiAccount(env, company.id, { orgId: org.orgId, apiKey: org.apiKey, webhookSecret: org.webhookSecret });
  const line = distinctNumber();
  const outbound = distinctNumber();
  twilio.incomingNumbers.push({ sid: `PN${randomBytes(16).toString('hex')}`, phoneNumber: line, friendlyName: 'main line' });
  await seedPhoneNumber(env, company.id, { e164: line, matchOn: 'to', ownerUserId: agent.id });
  await seedPhoneNumber(env, company.id, { e164: outbound, matchOn: 'from', ownerUserId: agent.id });
  return {
    companyId: company.id,
    admin: { id: admin.id, subject: admin.subject, token: await tokenFor(env, admin.subject, 3600) },
    agent: { id: agent.id, subject: agent.subject },
    twilio,
    org,
    line,
    outbound,
  };
}

/** A call that really happened to a company, and where it must end up. */
export interface GenuineCall {
  provider: 'twilio' | 'vapi';
  callRef: string;
  companyId: string;
  ownerUserId: string;
  /** What was sent, for a replay by the attacker. */
  send: () => Promise<{ status: number }>;
}

/** What one attacker action answered, and (for held targets) the twin answer about the other holder. */
export interface Answer {
  action: Action;
  status: number;
  body: string;
  /** The answer to the same action aimed at the other honest company's identifier. */
  twin?: { status: number; body: string };
}

/** Everything a sequence produced, for the invariants. */
export interface SequenceRecord {
  genuine: GenuineCall[];
  /** Call ids (CallSid / VAPI call id) the attacker sent events for. */
  attackerCalls: Array<{ provider: 'twilio' | 'vapi'; callRef: string }>;
  answers: Answer[];
  requests: number;
  tenants: { victim: Tenant; decoy: Tenant; attacker: Tenant };
}

function vapiReport(org: { orgId: string }, customer: string, ourNumber: string, metadata?: Record<string, unknown>) {
  const body = structuredClone(REPORT);
  body.message.call = {
    ...body.message.call,
    id: randomUUID(),
    orgId: org.orgId,
    type: 'inboundPhoneCall',
    transport: { ...(body.message.call.transport as Record<string, unknown> | undefined), callSid: fakeSid('CA') },
    ...(metadata ? { assistantOverrides: { metadata } } : {}),
  };
  body.message.phoneNumber = { number: ourNumber };
  body.message.customer = { number: customer };
  return body;
}

/**
 * Runs one sequence of actions: the attacker's through the gateway (as its company admin) and
 * the webhooks it can sign, interleaved with genuine traffic of the victim and the decoy.
 */
export async function runSequence(world: HostileWorld, actions: Action[]): Promise<SequenceRecord> {
  const [victim, decoy, attacker] = [await createTenant(world, 'Victim'), await createTenant(world, 'Decoy'), await createTenant(world, 'Attacker')];
  const record: SequenceRecord = { genuine: [], attackerCalls: [], answers: [], requests: 0, tenants: { victim, decoy, attacker } };
  const holder = (which: Target) => (which === 'victim' ? victim : decoy);
  // What the attacker's registrations currently name (a legacy claim re-points them at the victim's).
  const claimed = {
    twilio: false,
    vapi: false,
    madeUpToken: `made-up-${randomBytes(8).toString('hex')}`,
    madeUpSecret: `made-up-${randomBytes(8).toString('hex')}`,
  };

  const gateway = async (method: 'PUT' | 'POST', url: string, payload: object) => {
    record.requests += 1;
    const response = await world.gateway.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${attacker.admin.token}`, 'user-agent': 'hostile-admin' },
    });
    return { status: response.statusCode, body: response.body };
  };
  /** Sends an action about a held identifier twice, once per honest holder, so both answers can be compared. */
  const aimed = async (action: Action, send: (tenant: Tenant | undefined) => Promise<{ status: number; body: string }>) => {
    if (action.kind !== 'claim-twilio' && action.kind !== 'claim-vapi' && action.kind !== 'claim-number' && action.kind !== 'claim-subject') return;
    if (action.target === 'fresh') {
      record.answers.push({ action, ...(await send(undefined)) });
      return;
    }
    const first = await send(holder(action.target));
    const twin = await send(holder(action.target === 'victim' ? 'decoy' : 'victim'));
    record.answers.push({ action, ...first, twin });
  };
  const twilioCallback = async (authToken: string, params: Record<string, string>, query = '') => {
    record.requests += 1;
    const path = `/webhooks/twilio/call-status${query}`;
    return deliverTwilioWebhook({ publicBaseUrl: world.env.config.PUBLIC_BASE_URL, targetBaseUrl: world.ingestUrl, path, authToken, params });
  };
  const vapiCallback = async (secret: string, body: unknown) => {
    record.requests += 1;
    return deliverVapiWebhook({ url: `${world.ingestUrl}/webhooks/vapi`, body, credential: { kind: 'secret', secret } });
  };

  for (const action of actions) {
    switch (action.kind) {
      case 'claim-twilio':
        await aimed(action, (tenant) =>
          gateway('PUT', '/v1/settings/twilio', {
            accountSid: tenant?.twilio.accountSid ?? `AC${randomBytes(16).toString('hex')}`,
            authToken: claimed.madeUpToken,
          }),
        );
        break;
      case 'claim-vapi':
        await aimed(action, (tenant) =>
          gateway('PUT', '/v1/settings/vapi', { orgId: tenant?.org.orgId ?? randomUUID(), apiKey: claimed.madeUpSecret, webhookSecret: claimed.madeUpSecret }),
        );
        break;
      case 'claim-number':
        await aimed(action, (tenant) =>
          gateway('POST', '/v1/phone-numbers', {
            e164: tenant ? tenant[action.which] : distinctNumber(),
            matchOn: action.matchOn,
            ownerUserId: attacker.agent.id,
          }),
        );
        break;
      case 'claim-subject':
        await aimed(action, (tenant) => gateway('POST', '/v1/users', { subject: tenant?.agent.subject ?? `sub-${randomUUID()}`, role: 'agent' }));
        break;
      case 'legacy-claim': {
        // A registration made before ownership had to be proven: the attacker's row names the victim's account.
        const victimId = action.provider === 'twilio' ? victim.twilio.accountSid : victim.org.orgId;
        const secrets = action.provider === 'twilio' ? { authToken: claimed.madeUpToken } : { webhookSecret: claimed.madeUpSecret };
        await world.env.ownerDb
          .updateTable('provider_accounts')
          .set({ proven_at: null })
          .where('company_id', '=', attacker.companyId)
          .where('provider', '=', action.provider)
          .execute();
        await withCompany(world.env.db, attacker.companyId, (tx) =>
          upsertProviderAccount(tx, world.env.box, { provider: action.provider, externalId: victimId, secrets }),
        );
        claimed[action.provider] = true;
        break;
      }
      case 'attacker-webhook': {
        const named = action.names === 'fresh' ? distinctNumber() : victim[action.names];
        const tag = action.leakedTag
          ? signTenantTag(world.env.config.TAG_SIGNING_KEY!, {
              companyId: victim.companyId,
              ownerUserId: victim.agent.id,
              expiresAt: new Date(Date.now() + 3_600_000),
            })
          : undefined;
        if (action.provider === 'twilio') {
          const [accountSid, token] =
            action.via === 'own' ? [attacker.twilio.accountSid, attacker.twilio.authToken] : [victim.twilio.accountSid, claimed.madeUpToken];
          const callSid = fakeSid('CA');
          const numbers = action.names === 'outbound' ? { From: named, To: distinctNumber() } : { From: distinctNumber(), To: named };
          await twilioCallback(token, { ...CALL_COMPLETED, AccountSid: accountSid, CallSid: callSid, ...numbers }, tag ? `?cv=${encodeURIComponent(tag)}` : '');
          record.attackerCalls.push({ provider: 'twilio', callRef: callSid });
        } else {
          const [org, secret] = action.via === 'own' ? [attacker.org, attacker.org.webhookSecret] : [victim.org, claimed.madeUpSecret];
          const body =
            action.names === 'outbound'
              ? vapiReport(org, named, distinctNumber(), tag ? { callvault: tag } : undefined)
              : vapiReport(org, distinctNumber(), named, tag ? { callvault: tag } : undefined);
          await vapiCallback(secret, body);
          record.attackerCalls.push({ provider: 'vapi', callRef: body.message.call.id as string });
        }
        break;
      }
      case 'replay-genuine': {
        // The attacker captured a genuine delivery and sends it again, byte for byte.
        const captured = record.genuine.at(-1);
        if (captured) await captured.send();
        break;
      }
      case 'rotate-own': {
        attacker.twilio.authToken = randomBytes(16).toString('hex');
        const answer = await gateway('PUT', '/v1/settings/twilio', { accountSid: attacker.twilio.accountSid, authToken: attacker.twilio.authToken });
        record.answers.push({ action, ...answer });
        break;
      }
      case 'genuine': {
        const tenant = action.who === 'victim' ? victim : decoy;
        if (action.provider === 'twilio') {
          const params = { ...CALL_COMPLETED, AccountSid: tenant.twilio.accountSid, CallSid: fakeSid('CA'), From: distinctNumber(), To: tenant.line };
          const send = () => twilioCallback(tenant.twilio.authToken, params);
          await send();
          record.genuine.push({ provider: 'twilio', callRef: params.CallSid, companyId: tenant.companyId, ownerUserId: tenant.agent.id, send });
        } else {
          const body = vapiReport(tenant.org, distinctNumber(), tenant.line);
          const send = () => vapiCallback(tenant.org.webhookSecret, body);
          await send();
          record.genuine.push({ provider: 'vapi', callRef: body.message.call.id as string, companyId: tenant.companyId, ownerUserId: tenant.agent.id, send });
        }
        break;
      }
    }
  }
  await world.settled();
  return record;
}

const HELD_CLAIMS = new Set<Action['kind']>(['claim-twilio', 'claim-vapi', 'claim-subject']);

/**
 * The invariants after a sequence: every genuine call in its true company with its true owner;
 * nothing the attacker sent in any company but its own; no claim of an identifier another company
 * holds succeeds, and it is answered the same whoever holds it; no answer carries an identifier
 * or secret of the honest companies; no proven registration of theirs in the attacker's company.
 */
export async function violationsOf(world: HostileWorld, record: SequenceRecord): Promise<string[]> {
  const found: string[] = [];
  const { victim, decoy, attacker } = record.tenants;
  for (const call of record.genuine) {
    const rows = await callsOf(world.env, call.provider, call.callRef);
    if (rows.length !== 1 || rows[0]!.company_id !== call.companyId || rows[0]!.owner_user_id !== call.ownerUserId) {
      found.push(
        `genuine ${call.provider} call ${call.callRef} of ${call.companyId === victim.companyId ? 'the victim' : 'the decoy'} ended as ${JSON.stringify(rows)}`,
      );
    }
  }
  for (const call of record.attackerCalls) {
    const elsewhere = (await callsOf(world.env, call.provider, call.callRef)).filter((row) => row.company_id !== attacker.companyId);
    if (elsewhere.length > 0)
      found.push(
        `attacker ${call.provider} call ${call.callRef} landed in ${elsewhere.map((row) => (row.company_id === victim.companyId ? 'the victim' : 'the decoy')).join(', ')}`,
      );
  }
  const secrets = [victim, decoy].flatMap((tenant) => [
    tenant.companyId,
    tenant.admin.id,
    tenant.agent.id,
    tenant.twilio.authToken,
    tenant.org.apiKey,
    tenant.org.webhookSecret,
  ]);
  for (const answer of record.answers) {
    const label = JSON.stringify(answer.action);
    const held = 'target' in answer.action && answer.action.target !== 'fresh';
    const claimsHeld =
      held &&
      (HELD_CLAIMS.has(answer.action.kind) ||
        (answer.action.kind === 'claim-number' && (answer.action.matchOn === 'to' || answer.action.which === 'outbound')));
    if (claimsHeld && answer.status < 400) found.push(`${label} succeeded (${answer.status}) on an identifier another company holds`);
    if (
      answer.twin &&
      (answer.twin.status !== answer.status || (answer.status >= 400 && withoutRequestId(answer.twin.body) !== withoutRequestId(answer.body)))
    ) {
      found.push(`${label} answered ${answer.status} ${answer.body} about the victim but ${answer.twin.status} ${answer.twin.body} about the decoy`);
    }
    for (const body of [answer.body, answer.twin?.body ?? '']) {
      const leaked = secrets.filter((value) => body.includes(value));
      if (leaked.length > 0) found.push(`${label} answered with another company's identifier or secret`);
    }
  }
  const stolen = await world.env.ownerDb
    .selectFrom('provider_accounts')
    .select(['external_id'])
    .where('company_id', '=', attacker.companyId)
    .where('external_id', 'in', [victim.twilio.accountSid, victim.org.orgId, decoy.twilio.accountSid, decoy.org.orgId])
    .where('proven_at', 'is not', null)
    .execute();
  if (stolen.length > 0) found.push(`the attacker holds a proven registration of ${stolen.map((row) => row.external_id).join(', ')}`);
  return found;
}

/** Where the calls of a provider call id ended up (company and owner), as the schema owner sees it. */
export async function callsOf(env: TestEnvironment, provider: 'twilio' | 'vapi', callRef: string) {
  const column = provider === 'twilio' ? 'twilio_call_sid' : 'vapi_call_id';
  return env.ownerDb.selectFrom('calls').select(['company_id', 'owner_user_id']).where(column, '=', callRef).execute();
}

/** Each answer carries its own request id: two answers are told apart by everything else. */
function withoutRequestId(body: string): string {
  return body.replace(/"requestId":"[^"]*"/, '"requestId":"…"');
}
