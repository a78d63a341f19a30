import { can } from '../auth/permissions';
import { useMe } from '../me';
import { useCompanyUsers, userLabel } from './user-names';

/**
 * Owners of calls and recordings as the lists show them: the caller is "you", others by name
 * where the caller may list users; the owner filter's choices only for those who may filter by owner.
 */
export function useOwners() {
  const me = useMe();
  const users = useCompanyUsers(me.data?.role);
  const names = new Map((users.data ?? []).map((user) => [user.id, userLabel(user)]));
  const ownerName = (ownerUserId: string | null) => {
    if (!ownerUserId) return '—';
    return ownerUserId === me.data?.user.id ? 'you' : (names.get(ownerUserId) ?? '—');
  };
  const choices = can(me.data?.role, 'filterByOwner') && users.data ? users.data.map((user) => ({ value: user.id, label: userLabel(user) })) : undefined;
  return { ownerName, choices };
}
