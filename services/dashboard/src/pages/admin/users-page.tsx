import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { useCompanyUsers, userLabel, type UserRow } from '../../lists/user-names';
import { useMe } from '../../me';
import { Empty, QueryState } from '../../ui/states';
import { DataTable } from '../../ui/data-table';
import { Failure } from '../../ui/failure';

/** Managers with their reports, then everyone without a manager: the tree the scope rules follow. */
function ManagerTree({ users }: { users: UserRow[] }) {
  const byManager = new Map<string, UserRow[]>();
  for (const user of users) if (user.managerId) byManager.set(user.managerId, [...(byManager.get(user.managerId) ?? []), user]);
  const roots = users.filter((user) => !user.managerId || !users.some((other) => other.id === user.managerId));
  const render = (user: UserRow, seen: Set<string>): ReactNode => (
    <li key={user.id}>
      {userLabel(user)} <span className="muted">({user.role})</span>
      {!seen.has(user.id) && byManager.get(user.id)?.length ? (
        <ul>{byManager.get(user.id)!.map((report) => render(report, new Set([...seen, user.id])))}</ul>
      ) : null}
    </li>
  );
  return <ul className="tree">{roots.map((user) => render(user, new Set()))}</ul>;
}

export function UsersPage() {
  const me = useMe();
  const users = useCompanyUsers(me.data?.role);
  const client = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { managerId?: string | null; disabled?: boolean } }) =>
      unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id }, query: companyScope() }, body })),
    onSuccess: (user) => {
      setSaved(`${userLabel(user)} saved.`);
      void client.invalidateQueries({ queryKey: ['users'] });
      void client.invalidateQueries({ queryKey: ['recordings'] });
      void client.invalidateQueries({ queryKey: ['calls'] });
    },
  });
  if (me.data?.role === 'superadmin' && !companyScope().companyId) return <Empty>Choose a company in the switcher above to manage its users.</Empty>;
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <QueryState query={users} what="users">
        {(rows) => {
          const managers = rows.filter((user) => user.role !== 'agent' && !user.disabled);
          return rows.length === 0 ? (
            <Empty>This company has no users yet.</Empty>
          ) : (
            <>
              <h2>Manager tree</h2>
              <ManagerTree users={rows} />
              <h2>Everyone</h2>
              <DataTable caption="Users" columns={['Name', 'Role', 'Subject', 'Manager', 'Status']}>
                {rows.map((user) => (
                  <tr key={user.id} data-user-id={user.id}>
                    <td>{userLabel(user)}</td>
                    <td>{user.role}</td>
                    <td>{user.subject}</td>
                    <td>
                      <label className="visually-hidden" htmlFor={`manager-${user.id}`}>
                        Manager of {userLabel(user)}
                      </label>
                      <select
                        id={`manager-${user.id}`}
                        value={user.managerId ?? ''}
                        disabled={update.isPending}
                        onChange={(e) => update.mutate({ id: user.id, body: { managerId: e.target.value || null } })}
                      >
                        <option value="">No manager</option>
                        {managers
                          .filter((manager) => manager.id !== user.id)
                          .map((manager) => (
                            <option key={manager.id} value={manager.id}>
                              {userLabel(manager)}
                            </option>
                          ))}
                      </select>
                    </td>
                    <td>
                      <button
                        type="button"
                        onClick={() => update.mutate({ id: user.id, body: { disabled: !user.disabled } })}
                        disabled={update.isPending || user.id === me.data?.user.id}
                      >
                        {user.disabled ? 'Enable' : 'Disable'}
                      </button>
                    </td>
                  </tr>
                ))}
              </DataTable>
            </>
          );
        }}
      </QueryState>
      {saved && !update.error ? <p role="status">{saved}</p> : null}
      <Failure error={update.error} fallback="could not save" />
    </section>
  );
}
