import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { api, companyScope, unwrap } from '../api';
import { formatBytes, formatDuration, formatPercent } from '../ui/format';
import { Empty, Loading, QueryState } from '../ui/states';

// Recharts is most of a chart page's weight: loaded only when statistics are opened.
const StatsCharts = lazy(() => import('../stats/stats-charts'));
const route = getRouteApi('/stats');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function validateStatsRange(search: Record<string, unknown>): { from?: string; to?: string } {
  return {
    ...(typeof search.from === 'string' && DAY.test(search.from) ? { from: search.from } : {}),
    ...(typeof search.to === 'string' && DAY.test(search.to) ? { to: search.to } : {}),
  };
}

export function StatsPage() {
  const range = route.useSearch();
  const navigate = route.useNavigate();
  const from = range.from ?? isoDay(new Date(Date.now() - 29 * 86_400_000));
  const to = range.to ?? isoDay(new Date());
  const [draft, setDraft] = useState({ from, to });
  const scope = companyScope();
  const stats = useQuery({
    queryKey: ['stats', scope, from, to],
    // Days (UTC), both included, as the rollups are kept.
    queryFn: () => unwrap(api.GET('/v1/recordings/stats', { params: { query: { from, to, ...scope } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/stats', search: draft });
  };
  return (
    <section aria-labelledby="stats-title">
      <h1 id="stats-title">Statistics</h1>
      <form className="filters" onSubmit={submit} aria-label="Date range">
        <label>
          From <input type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} required />
        </label>
        <label>
          To <input type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} required />
        </label>
        <div className="filter-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      <QueryState query={stats} what="statistics">
        {(data) => (
          <>
            <dl className="facts totals">
              <dt>Calls</dt>
              <dd>{data.totals.calls}</dd>
              <dt>Answered</dt>
              <dd>{data.totals.answeredCalls}</dd>
              <dt>Recorded</dt>
              <dd>{formatDuration(data.totals.recordedSeconds)}</dd>
              <dt>Stored</dt>
              <dd>{formatBytes(data.totals.storedBytes)}</dd>
              <dt>Average agent talk ratio</dt>
              <dd>{formatPercent(data.totals.averageTalkRatio)}</dd>
              <dt>Inbound / outbound</dt>
              <dd>
                {data.byDirection.inbound} / {data.byDirection.outbound}
              </dd>
            </dl>
            {data.byDay.length === 0 ? (
              <Empty>No calls between these dates.</Empty>
            ) : (
              <Suspense fallback={<Loading what="charts" />}>
                <StatsCharts byDay={data.byDay} />
              </Suspense>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
