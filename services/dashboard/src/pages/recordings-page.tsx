import { getRouteApi, Link } from '@tanstack/react-router';
import { api, companyScope, unwrap } from '../api';
import { FilterBar } from '../lists/filter-bar';
import { toApiQuery } from '../lists/filters';
import { PagedTable } from '../lists/paged-table';
import { useOwners } from '../lists/use-owners';
import { usePagedQuery } from '../lists/use-paged-query';
import { liveItems } from '../lists/live-items';
import { formatDateTime, formatDuration } from '../ui/format';

const route = getRouteApi('/recordings');

export function RecordingsPage() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const owners = useOwners();
  const scope = companyScope();
  const query = usePagedQuery(['recordings', scope, filters], (cursor) =>
    unwrap(api.GET('/v1/recordings', { params: { query: { ...toApiQuery(filters), ...scope, limit: 25, ...cursor } } })).then(liveItems),
  );
  return (
    <section aria-labelledby="recordings-title">
      <h1 id="recordings-title">Recordings</h1>
      <FilterBar kind="recordings" filters={filters} owners={owners.choices} onChange={(next) => void navigate({ to: '/recordings', search: next })} />
      <PagedTable
        query={query}
        what="recordings"
        empty="No recordings match these filters."
        caption={`Recordings, ${filters.sortBy ?? 'startedAt'} ${filters.sortOrder ?? 'desc'}`}
        columns={['Started', 'From', 'To', 'Duration', 'Owner', 'Status', 'Tags']}
        row={(recording) => (
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
            <td>{owners.ownerName(recording.ownerUserId)}</td>
            <td>
              {recording.status}
              {recording.archived ? ' · archived' : ''}
              {recording.legalHold ? ' · hold' : ''}
            </td>
            <td>{recording.tags.join(', ')}</td>
          </tr>
        )}
      />
    </section>
  );
}
