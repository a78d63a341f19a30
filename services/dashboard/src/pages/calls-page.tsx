import { getRouteApi, Link } from '@tanstack/react-router';
import { api, companyScope, unwrap } from '../api';
import { FilterBar } from '../lists/filter-bar';
import { toApiQuery } from '../lists/filters';
import { PagedTable } from '../lists/paged-table';
import { useOwners } from '../lists/use-owners';
import { usePagedQuery } from '../lists/use-paged-query';
import { liveItems } from '../lists/live-items';
import { formatDateTime, formatDuration } from '../ui/format';

const route = getRouteApi('/calls');

export function CallsPage() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const owners = useOwners();
  const scope = companyScope();
  // The calls API has no starred/archived filters: those belong to recordings.
  const { starred: _starred, archived: _archived, ...callFilters } = filters;
  const query = usePagedQuery(['calls', scope, callFilters], (cursor) =>
    unwrap(api.GET('/v1/calls', { params: { query: { ...toApiQuery(callFilters), ...scope, limit: 25, ...cursor } } })).then(liveItems),
  );
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls</h1>
      <FilterBar kind="calls" filters={callFilters} owners={owners.choices} onChange={(next) => void navigate({ to: '/calls', search: next })} />
      <PagedTable
        query={query}
        what="calls"
        empty="No calls match these filters."
        caption="Calls"
        columns={['Started', 'From', 'To', 'Duration', 'Owner', 'Status', 'Provider']}
        row={(call) => (
          <tr key={call.id} data-call-id={call.id}>
            <td>
              <Link to="/calls/$id" params={{ id: call.id }}>
                {formatDateTime(call.startedAt ?? call.createdAt)}
              </Link>
            </td>
            <td>{call.from ?? '–'}</td>
            <td>{call.to ?? '–'}</td>
            <td>{formatDuration(call.durationSeconds)}</td>
            <td>{owners.ownerName(call.ownerUserId)}</td>
            <td>{call.status}</td>
            <td>{call.provider}</td>
          </tr>
        )}
      />
    </section>
  );
}
