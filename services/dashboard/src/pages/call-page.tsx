import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api, unwrap } from '../api';
import { formatDateTime, formatDuration } from '../ui/format';
import { Empty, QueryState } from '../ui/states';

const route = getRouteApi('/calls/$id');

export function CallPage() {
  const { id } = route.useParams();
  const query = useQuery({ queryKey: ['call', id], queryFn: () => unwrap(api.GET('/v1/calls/{id}', { params: { path: { id } } })) });
  return (
    <section aria-labelledby="call-title">
      <QueryState query={query} what="call">
        {(call) => (
          <>
            <h1 id="call-title">
              Call {call.from ?? '?'} → {call.to ?? '?'}
            </h1>
            <dl className="facts">
              <dt>Started</dt>
              <dd>{formatDateTime(call.startedAt)}</dd>
              <dt>Duration</dt>
              <dd>{formatDuration(call.durationSeconds)}</dd>
              <dt>Status</dt>
              <dd>{call.status}</dd>
              <dt>Provider</dt>
              <dd>{call.provider}</dd>
              {call.summary ? (
                <>
                  <dt>Summary</dt>
                  <dd>{call.summary}</dd>
                </>
              ) : null}
            </dl>
            <h2>Recordings</h2>
            {call.recordings.length === 0 ? (
              <Empty>This call has no recording.</Empty>
            ) : (
              <ul>
                {call.recordings.map((recording) => (
                  <li key={recording.id}>
                    <Link to="/recordings/$id" params={{ id: recording.id }}>
                      {formatDateTime(recording.startedAt ?? recording.createdAt)} · {formatDuration(recording.durationSeconds)} · {recording.status}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
