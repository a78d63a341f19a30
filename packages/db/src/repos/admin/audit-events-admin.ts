import type { ScopedTx } from '../../read-scope';
import type { AuditEvent } from '../../schema';
import { exactTimestamp, pastPosition, type KeysetPosition } from './keyset';

export type AuditEventRow = AuditEvent & { cursor_at: string };

export interface AuditEventListRequest {
  action?: string;
  actorUserId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  after: KeysetPosition | null;
}

/**
 * Newest first. A company transaction reads its own company's trail only; a platform transaction
 * (superadmin without a company) reads every company's.
 */
export async function listAuditEventsPage(tx: ScopedTx, request: AuditEventListRequest): Promise<AuditEventRow[]> {
  let query = tx.selectFrom('audit_events').selectAll().select(exactTimestamp('audit_events.created_at').as('cursor_at'));
  if (tx.scope.kind === 'company') query = query.where('audit_events.company_id', '=', tx.scope.companyId);
  if (request.action) query = query.where('audit_events.action', '=', request.action);
  if (request.actorUserId) query = query.where('audit_events.actor_user_id', '=', request.actorUserId);
  if (request.from) query = query.where('audit_events.created_at', '>=', request.from);
  if (request.to) query = query.where('audit_events.created_at', '<', request.to);
  if (request.after) query = query.where(pastPosition('audit_events.created_at', 'audit_events.id', request.after, 'desc'));
  return query.orderBy('audit_events.created_at', 'desc').orderBy('audit_events.id', 'desc').limit(request.limit).execute();
}
