import { keysetPage } from '../../keyset-page';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CompanyTx, ScopedTx, SortPosition } from '@callvault/db';
import { audit } from '../../audit';
import { InvalidCursorError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';

export const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');
const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** Query parameters every call and recording list takes. */
export const listQueryBase = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
  search: z.string().trim().min(1).max(100).optional().describe('phone number (any formatting) or part of the owner name or email'),
  direction: z.string().max(32).optional(),
  ownerUserId: z.uuid().optional(),
  from: isoTime.optional().describe('started at or after (ISO-8601)'),
  to: isoTime.optional().describe('started before (ISO-8601)'),
  sortBy: z.enum(['startedAt', 'duration', 'createdAt']).default('createdAt'),
  sortOrder: z.enum(['asc', 'desc']).default('desc'),
  companyId: z.uuid().optional().describe('superadmin only: narrow to one company'),
};

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export function isCompanyTx(tx: ScopedTx): tx is CompanyTx {
  return tx.scope.kind === 'company';
}

/**
 * A superadmin reading a company's list leaves a `company.read` in that company's trail: the
 * company it named (which must exist), or each company whose rows the page showed.
 */
export async function auditSuperadminList(
  tx: ScopedTx,
  request: FastifyRequest,
  shownCompanyIds: readonly string[],
  details: { resource: 'recordings' | 'calls' },
): Promise<void> {
  const principal = request.principal;
  if (principal.kind !== 'superadmin') return;
  const companyIds = isCompanyTx(tx) ? [tx.scope.companyId] : [...new Set(shownCompanyIds)];
  for (const companyId of companyIds) {
    await audit(tx, request, principal, { companyId, action: 'company.read', targetType: 'company', targetId: companyId, details });
  }
}

/**
 * Cursor positions carry the exact sort value: microsecond timestamp text, an integer duration,
 * or '' for a row without a value (those come last). The cursor itself is signed with a
 * fingerprint of the list, its filters, sort and scope, so it continues only the list it came from.
 */
export function decodePosition(deps: GatewayDeps, cursor: string | undefined, fingerprint: unknown, sortBy: 'startedAt' | 'duration' | 'createdAt'): SortPosition | null {
  if (!cursor) return null;
  const { value, id } = deps.cursors.decode(cursor, fingerprint);
  if (!z.uuid().safeParse(id).success) throw new InvalidCursorError();
  if (value === '' && sortBy !== 'createdAt') return { value: null, id };
  if (sortBy === 'duration' ? Number.isInteger(value) : typeof value === 'string' && !Number.isNaN(Date.parse(value))) return { value, id };
  throw new InvalidCursorError();
}

export function pageFrom<Row extends { id: string; sort_value: string | number | null }, Item>(
  deps: GatewayDeps,
  rows: Row[],
  limit: number,
  fingerprint: unknown,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  return keysetPage(deps, rows, limit, fingerprint, toItem, (row) => row.sort_value ?? '');
}

export { listScopeOf, requireNamedCompany } from '../../company-scope';
