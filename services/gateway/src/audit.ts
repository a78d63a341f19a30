import type { FastifyRequest } from 'fastify';
import { insertAuditEvents, insertPlatformAuditEvent, type PlatformTx, type ScopedTx } from '@callvault/db';
import { auditWritesCounter } from '@callvault/service-kit';
import { roleOf, type Principal } from './principal';

type CompanyAuditEvent = { companyId: string; action: string; targetType: string; targetId: string | null; details?: Record<string, unknown> };

/** Writes one audit event for the request's principal, in the caller's transaction. */
export async function audit(tx: ScopedTx, request: FastifyRequest, principal: Principal, event: CompanyAuditEvent): Promise<void> {
  await auditEach(tx, request, principal, [event]);
}

export type DeferredAudit = { request: FastifyRequest; principal: Principal; events: readonly CompanyAuditEvent[] };

/** Transactions on a read-only replica: their audit events wait here to be written on the primary. */
const deferredByTx = new WeakMap<ScopedTx, DeferredAudit[]>();

/** From now on, audit events of `tx` are kept instead of written: `tx` cannot write. */
export function deferAudits(tx: ScopedTx): DeferredAudit[] {
  const deferred: DeferredAudit[] = [];
  deferredByTx.set(tx, deferred);
  return deferred;
}

/** Writes the events `deferAudits` kept, in a transaction on the primary. */
export async function writeDeferredAudits(tx: ScopedTx, deferred: readonly DeferredAudit[]): Promise<void> {
  for (const { request, principal, events } of deferred) await auditEach(tx, request, principal, events);
}

/** Several events of one request in one statement (each item of a list page that shows call content). */
export async function auditEach(tx: ScopedTx, request: FastifyRequest, principal: Principal, events: readonly CompanyAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const deferred = deferredByTx.get(tx);
  if (deferred) {
    deferred.push({ request, principal, events });
    return;
  }
  const userAgent = request.headers['user-agent'];
  const apiKey = principal.kind === 'user' ? principal.apiKey : undefined;
  await insertAuditEvents(
    tx,
    events.map((event) => ({
      ...event,
      // An API key's actions are the key's, on behalf of its user: the trail names both.
      ...(apiKey ? { details: { ...event.details, apiKeyId: apiKey.id } } : {}),
      actorUserId: principal.kind === 'user' ? principal.user.id : null,
      actorSubject: apiKey ? `api-key:${apiKey.id}` : principal.kind === 'user' ? principal.user.subject : principal.subject,
      actorRole: roleOf(principal),
      ip: request.ip ?? null,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    })),
  );
  for (const event of events) auditWritesCounter(request.server.metricsRegistry).inc({ action: event.action, actor_role: roleOf(principal) });
}

/** A superadmin's action outside any one company (reading a quarantined event, say): the platform's own trail. */
export async function auditPlatform(
  tx: PlatformTx,
  request: FastifyRequest,
  principal: Extract<Principal, { kind: 'superadmin' }>,
  event: { action: string; targetType: string; targetId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  const userAgent = request.headers['user-agent'];
  await insertPlatformAuditEvent(tx, {
    ...event,
    actorSubject: principal.subject,
    actorRole: 'superadmin',
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
  });
  auditWritesCounter(request.server.metricsRegistry).inc({ action: event.action, actor_role: 'superadmin' });
}
