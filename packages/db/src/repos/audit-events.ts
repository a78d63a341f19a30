import type { PlatformTx } from '../client';
import type { ScopedTx } from '../read-scope';
import { assertOwnCompany } from '../own-company';

export interface NewAuditEvent {
  companyId: string;
  actorUserId: string | null;
  actorSubject: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

export type NewPlatformAuditEvent = Omit<NewAuditEvent, 'companyId' | 'actorUserId'>;

/** The columns a company's audit trail and the platform's share: who did what to which target, from where. */
function auditColumns(event: NewPlatformAuditEvent) {
  return {
    actor_subject: event.actorSubject,
    actor_role: event.actorRole,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    details: JSON.stringify(event.details ?? {}),
    ip: event.ip,
    user_agent: event.userAgent,
  };
}

/** Append-only: the application role has no UPDATE or DELETE on this table. */
export async function insertAuditEvent(tx: ScopedTx, event: NewAuditEvent): Promise<void> {
  await insertAuditEvents(tx, [event]);
}

/** Many events in one statement: a list page that shows call content leaves one per item. */
export async function insertAuditEvents(tx: ScopedTx, events: readonly NewAuditEvent[]): Promise<void> {
  assertOwnCompany(
    tx,
    events.map((event) => event.companyId),
    'insertAuditEvents',
  );
  if (events.length === 0) return;
  await tx
    .insertInto('audit_events')
    .values(events.map((event) => ({ company_id: event.companyId, actor_user_id: event.actorUserId, ...auditColumns(event) })))
    .execute();
}

/** What the platform operator did outside any one company (a quarantined event belongs to none). Append-only too. */
export async function insertPlatformAuditEvent(tx: PlatformTx, event: NewPlatformAuditEvent): Promise<void> {
  await tx.insertInto('platform_audit_events').values(auditColumns(event)).execute();
}
