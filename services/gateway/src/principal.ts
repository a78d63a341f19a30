import type { ReadScope, User } from '@callvault/db';

/** The API key a request came with: it acts as its user, and a read-only one may not write. */
export interface ApiKeyUse {
  id: string;
  readOnly: boolean;
}

export type Principal = { kind: 'superadmin'; id: string; subject: string } | { kind: 'user'; user: User; reportIds: readonly string[]; apiKey?: ApiKeyUse };

export function roleOf(principal: Principal): 'superadmin' | User['role'] {
  return principal.kind === 'superadmin' ? 'superadmin' : principal.user.role;
}

/**
 * What the caller may read: agent → own calls; manager → own + direct reports; company_admin →
 * the company; superadmin → everything, or one company when it asks for one.
 */
export function scopeOf(principal: Principal, requestedCompanyId?: string): ReadScope {
  if (principal.kind === 'superadmin') return { kind: 'platform', companyId: requestedCompanyId ?? null };
  const { user } = principal;
  switch (user.role) {
    case 'company_admin':
      return { kind: 'company', companyId: user.company_id, ownerUserIds: null };
    case 'manager':
      return { kind: 'company', companyId: user.company_id, ownerUserIds: [user.id, ...principal.reportIds] };
    case 'agent':
      return { kind: 'company', companyId: user.company_id, ownerUserIds: [user.id] };
  }
}
