import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CompanyTx, ScopedTx } from '@callvault/db';
import { audit } from '../../audit';
import { pageQuery, TIMESTAMP_CURSOR, type CursorValue } from '../../paging';

export const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');
const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** Query parameters every call and recording list takes. */
export const listQueryBase = {
  ...pageQuery,
  search: z.string().trim().min(1).max(100).optional().describe('phone number (any formatting) or part of the owner name or email'),
  direction: z.string().max(32).optional(),
  ownerUserId: z.uuid().optional(),
  from: isoTime.optional().describe('started at or after (ISO-8601)'),
  to: isoTime.optional().describe('started before (ISO-8601)'),
  sortBy: z.enum(['startedAt', 'duration', 'createdAt']).default('createdAt'),
  sortOrder: z.enum(['asc', 'desc']).default('desc'),
  companyId: z.uuid().optional().describe('superadmin only: narrow to one company'),
};

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
  details: { resource: 'recordings' | 'calls' | 'transcripts' },
): Promise<void> {
  const principal = request.principal;
  if (principal.kind !== 'superadmin') return;
  const companyIds = isCompanyTx(tx) ? [tx.scope.companyId] : [...new Set(shownCompanyIds)];
  for (const companyId of companyIds) {
    await audit(tx, request, principal, { companyId, action: 'company.read', targetType: 'company', targetId: companyId, details });
  }
}

/** The cursor value of each sort of the call and recording lists. */
export const SORT_CURSORS: Record<'startedAt' | 'duration' | 'createdAt', CursorValue> = {
  startedAt: { type: 'timestamptz', nullable: true },
  duration: { type: 'integer', nullable: true },
  createdAt: TIMESTAMP_CURSOR,
};

export { listScopeOf, requireNamedCompany } from '../../company-scope';
