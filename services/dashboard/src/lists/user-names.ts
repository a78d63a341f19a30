import { useQuery } from '@tanstack/react-query';
import { api, companyScope, unwrap } from '../api';
import { can, type Role } from '../auth/permissions';

export type UserRow = {
  id: string;
  name: string | null;
  email: string | null;
  subject: string;
  role: 'agent' | 'manager' | 'company_admin';
  managerId: string | null;
  disabled: boolean;
};

export const userLabel = (user: Pick<UserRow, 'name' | 'email' | 'subject'>) => user.name ?? user.email ?? user.subject;

/**
 * The company's users, for names in lists and the owner filter. Only administrators may list
 * users (the API has no directory for agents and managers), so others see no names but their own.
 */
export function useCompanyUsers(role: Role | undefined) {
  const scope = companyScope();
  return useQuery({
    queryKey: ['users', scope.companyId ?? 'own'],
    enabled: can(role, 'administer') && (role !== 'superadmin' || scope.companyId !== undefined),
    queryFn: async () => {
      const users: UserRow[] = [];
      let cursor: string | undefined;
      // Bounded: a directory larger than 1,000 users gets ids beyond that, not a hung page.
      for (let page = 0; page < 10; page += 1) {
        const result = await unwrap(api.GET('/v1/users', { params: { query: { limit: 100, ...scope, ...(cursor ? { cursor } : {}) } } }));
        users.push(...result.items);
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      return users;
    },
  });
}
