import type { ScopedTx } from '../../read-scope';
import type { AuditEvent } from '../../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from '../keyset-page';
import { whereOwnCompany } from '../../own-company';

const ORDER = byTimestamp('audit_events.created_at', 'audit_events.id', 'desc');

export type AuditEventRow = AuditEvent & { sort_value: string | number | null };

export interface AuditEventListRequest {
  action?: string;
  actorUserId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  after: SortPosition | null;
}

/**
 * Newest first. A company transaction reads its own company's trail only; a platform transaction
 * (superadmin without a company) reads every company's.
 */
export async function listAuditEventsPage(tx: ScopedTx, request: AuditEventListRequest): Promise<AuditEventRow[]> {
  let query = whereOwnCompany(tx.selectFrom('audit_events').selectAll().select(sortValueOf(ORDER).as('sort_value')), tx, 'audit_events.company_id');
  if (request.action) query = query.where('audit_events.action', '=', request.action);
  if (request.actorUserId) query = query.where('audit_events.actor_user_id', '=', request.actorUserId);
  if (request.from) query = query.where('audit_events.created_at', '>=', request.from);
  if (request.to) query = query.where('audit_events.created_at', '<', request.to);
  return sortedPage(query, ORDER, request.after, request.limit);
}
