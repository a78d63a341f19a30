import type { Principal, World, WorldCall, WorldRecording, WorldUser } from './world';

/**
 * The brief's role table as a model: what each principal may see. The suite compares every
 * gateway answer with it, so a scope bug shows up as a mismatch, whatever route it is in.
 */
export function reportIdsOf(world: World, principal: Principal): string[] {
  return principal.role === 'manager' ? world.users.filter((user) => user.managerId === principal.id).map((user) => user.id) : [];
}

/** Whether the principal sees a call or recording of `companyId` owned by `ownerUserId`. */
export function seesOwned(world: World, principal: Principal, item: { companyId: string; ownerUserId: string | null }): boolean {
  if (principal.role === 'superadmin') return true;
  if (principal.companyId !== item.companyId) return false;
  if (principal.role === 'company_admin') return true;
  if (item.ownerUserId === null) return false;
  if (item.ownerUserId === principal.id) return true;
  return principal.role === 'manager' && reportIdsOf(world, principal).includes(item.ownerUserId);
}

/** Users a principal may name: in call links and owner filters (self / reports / company / all). */
export function actsForUser(world: World, principal: Principal, user: WorldUser): boolean {
  return seesOwned(world, principal, { companyId: user.companyId, ownerUserId: user.id });
}

/** Users whose identity the principal may learn: those it acts for, plus its own manager (GET /v1/me). */
export function seesUser(world: World, principal: Principal, user: WorldUser): boolean {
  if (actsForUser(world, principal, user)) return true;
  return principal.role !== 'superadmin' && principal.managerId === user.id;
}

/** Company administration: users, numbers, provider settings, audit trail. */
export function administers(principal: Principal, companyId: string): boolean {
  return principal.role === 'superadmin' || (principal.role === 'company_admin' && principal.companyId === companyId);
}

export function visibleRecordings(world: World, principal: Principal): WorldRecording[] {
  return world.recordings.filter((recording) => seesOwned(world, principal, recording));
}

export function visibleCalls(world: World, principal: Principal): WorldCall[] {
  return world.calls.filter((call) => seesOwned(world, principal, call));
}

/** Provider secrets: no principal may ever read them back. */
export function secretsOf(world: World): string[] {
  return world.companies.flatMap((company) => [company.twilio.authToken, company.vapi.apiKey, company.vapi.webhookSecret]);
}

/**
 * Every distinctive value the principal must never receive: ids, subjects, e-mails and names of
 * users it may not see, ids, numbers, hashes, keys and transcript words of calls and recordings
 * outside its scope, other companies' ids, names, words and provider accounts, the registry of a
 * company it does not administer, event-store markers (superadmin only), and every secret.
 */
export function forbiddenTokens(world: World, principal: Principal): Map<string, string> {
  const tokens = new Map<string, string>(secretsOf(world).map((secret) => [secret.toLowerCase(), 'a provider secret']));
  const add = (label: string, ...values: Array<string | null>) => {
    for (const value of values) if (value) tokens.set(value.toLowerCase(), label);
  };
  const companyIndex = (companyId: string) => world.companies.findIndex((company) => company.id === companyId);
  const userLabel = (userId: string | null) => {
    const user = world.users.find((entry) => entry.id === userId);
    return user ? `${user.role} ${user.id}` : 'nobody';
  };
  for (const [index, company] of world.companies.entries()) {
    const own = principal.role === 'superadmin' || principal.companyId === company.id;
    if (!own) add(`company #${index}`, company.id, company.name, company.word);
    if (!administers(principal, company.id)) {
      add(`provider account of company #${index}`, company.twilio.accountSid, company.twilio.accountId, company.vapi.orgId, company.vapi.accountId);
      for (const number of company.numbers) add(`registered number of company #${index}`, number.id, number.e164, number.e164.slice(1));
    }
  }
  for (const user of world.users)
    if (!seesUser(world, principal, user)) add(`${user.role} of company #${companyIndex(user.companyId)}`, user.id, user.subject, user.email, user.name);
  for (const call of world.calls) {
    const label = `call of company #${companyIndex(call.companyId)} owned by ${userLabel(call.ownerUserId)}`;
    if (!seesOwned(world, principal, call)) add(label, call.id, call.from, call.to, call.from.slice(1), call.to.slice(1), call.callSid);
  }
  for (const recording of world.recordings) {
    const label = `recording of company #${companyIndex(recording.companyId)} owned by ${userLabel(recording.ownerUserId)}`;
    if (!seesOwned(world, principal, recording)) add(label, recording.id, recording.sha256, recording.storageKey, recording.word, recording.transcriptId);
  }
  // A company admin may meet its own company's event ids in its audit trail (a superadmin's reads leave
  // a trace there); quarantined events and every payload are the platform operator's only.
  for (const event of world.events) {
    if (principal.role === 'superadmin') continue;
    add('a webhook event payload (superadmin only)', event.marker);
    if (!event.companyId || !administers(principal, event.companyId)) add('a webhook event (superadmin only)', event.id);
  }
  return tokens;
}

export interface ExpectedStats {
  calls: number;
  stored: number;
  failed: number;
  other: number;
  inbound: number;
  outbound: number;
  recordedSeconds: number;
  storedBytes: number;
}

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** What GET /v1/recordings/stats must count for the principal (rollups are per call owner and day). */
export function expectedStats(world: World, principal: Principal, query: { from?: string; to?: string; companyId?: string }): ExpectedStats {
  const calls = visibleCalls(world, principal).filter(
    (call) =>
      (!query.companyId || call.companyId === query.companyId) &&
      (!query.from || dayOf(call.startedAt) >= query.from) &&
      (!query.to || dayOf(call.startedAt) <= query.to),
  );
  const ids = new Set(calls.map((call) => call.id));
  const recordings = world.recordings.filter((recording) => ids.has(recording.callId));
  const stored = recordings.filter((recording) => recording.status === 'stored');
  return {
    calls: calls.length,
    stored: stored.length,
    failed: recordings.filter((recording) => recording.status === 'failed').length,
    other: recordings.filter((recording) => recording.status === 'pending').length,
    inbound: calls.filter((call) => call.direction === 'inbound').length,
    outbound: calls.filter((call) => call.direction.startsWith('outbound')).length,
    recordedSeconds: stored.reduce((sum, recording) => sum + recording.durationSeconds, 0),
    storedBytes: stored.reduce((sum, recording) => sum + (recording.sizeBytes ?? 0), 0),
  };
}
