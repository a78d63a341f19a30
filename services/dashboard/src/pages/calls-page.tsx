import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api, companyScope, unwrap } from '../api';
import { can } from '../auth/permissions';
import { FilterBar } from '../lists/filter-bar';
import { toApiQuery } from '../lists/filters';
import { InfiniteList } from '../lists/infinite-list';
import { useCompanyUsers, userLabel } from '../lists/user-names';
import { useMe } from '../me';
import { formatDateTime, formatDuration } from '../ui/format';
import { TableWrap } from '../ui/table-wrap';

const route = getRouteApi('/calls');

export function CallsPage() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const me = useMe();
  const users = useCompanyUsers(me.data?.role);
  const names = new Map((users.data ?? []).map((user) => [user.id, userLabel(user)]));
  const scope = companyScope();
  // The calls API has no starred/archived filters: those belong to recordings.
  const { starred: _starred, archived: _archived, ...callFilters } = filters;
  const query = useInfiniteQuery({
    queryKey: ['calls', scope, callFilters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/calls', { params: { query: { ...toApiQuery(callFilters), ...scope, limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls</h1>
      <FilterBar
        kind="calls"
        filters={callFilters}
        owners={can(me.data?.role, 'filterByOwner') && users.data ? users.data.map((user) => ({ id: user.id, label: userLabel(user) })) : undefined}
        onChange={(next) => void navigate({ to: '/calls', search: next })}
      />
      <InfiniteList query={query} what="calls" empty="No calls match these filters.">
        {(items) => (
          <TableWrap>
            <table>
              <caption className="visually-hidden">Calls</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Status</th>
                  <th scope="col">Provider</th>
                </tr>
              </thead>
              <tbody>
                {items.map((call) => (
                  <tr key={call.id} data-call-id={call.id}>
                    <td>
                      <Link to="/calls/$id" params={{ id: call.id }}>
                        {formatDateTime(call.startedAt ?? call.createdAt)}
                      </Link>
                    </td>
                    <td>{call.from ?? '–'}</td>
                    <td>{call.to ?? '–'}</td>
                    <td>{formatDuration(call.durationSeconds)}</td>
                    <td>{call.ownerUserId ? (call.ownerUserId === me.data?.user.id ? 'you' : (names.get(call.ownerUserId) ?? '—')) : '—'}</td>
                    <td>{call.status}</td>
                    <td>{call.provider}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </InfiniteList>
    </section>
  );
}
