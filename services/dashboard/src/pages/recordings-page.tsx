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

const route = getRouteApi('/recordings');

export function RecordingsPage() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const me = useMe();
  const users = useCompanyUsers(me.data?.role);
  const names = new Map((users.data ?? []).map((user) => [user.id, userLabel(user)]));
  const scope = companyScope();
  const query = useInfiniteQuery({
    queryKey: ['recordings', scope, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/recordings', { params: { query: { ...toApiQuery(filters), ...scope, limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  return (
    <section aria-labelledby="recordings-title">
      <h1 id="recordings-title">Recordings</h1>
      <FilterBar
        kind="recordings"
        filters={filters}
        owners={can(me.data?.role, 'filterByOwner') && users.data ? users.data.map((user) => ({ id: user.id, label: userLabel(user) })) : undefined}
        onChange={(next) => void navigate({ to: '/recordings', search: next })}
      />
      <InfiniteList query={query} what="recordings" empty="No recordings match these filters.">
        {(items) => (
          <TableWrap>
            <table>
              <caption className="visually-hidden">
                Recordings, {filters.sortBy ?? 'startedAt'} {filters.sortOrder ?? 'desc'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Status</th>
                  <th scope="col">Tags</th>
                </tr>
              </thead>
              <tbody>
                {items.map((recording) => (
                  <tr key={recording.id} data-recording-id={recording.id}>
                    <td>
                      <Link to="/recordings/$id" params={{ id: recording.id }}>
                        {recording.starred ? (
                          <>
                            <span aria-hidden="true">★ </span>
                            <span className="visually-hidden">Starred: </span>
                          </>
                        ) : null}
                        {formatDateTime(recording.startedAt ?? recording.createdAt)}
                      </Link>
                    </td>
                    <td>{recording.from ?? '–'}</td>
                    <td>{recording.to ?? '–'}</td>
                    <td>{formatDuration(recording.durationSeconds)}</td>
                    <td>{recording.ownerUserId ? (recording.ownerUserId === me.data?.user.id ? 'you' : (names.get(recording.ownerUserId) ?? '—')) : '—'}</td>
                    <td>
                      {recording.status}
                      {recording.archived ? ' · archived' : ''}
                      {recording.legalHold ? ' · hold' : ''}
                    </td>
                    <td>{recording.tags.join(', ')}</td>
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
