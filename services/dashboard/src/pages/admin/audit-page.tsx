import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { InfiniteList } from '../../lists/infinite-list';
import { formatDateTime } from '../../ui/format';
import { TableWrap } from '../../ui/table-wrap';

const route = getRouteApi('/admin/audit');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[a-z_.]{1,60}$/;

export type AuditFilters = { action?: string; from?: string; to?: string };

export function validateAuditFilters(search: Record<string, unknown>): AuditFilters {
  return {
    ...(typeof search.action === 'string' && ACTION.test(search.action) ? { action: search.action } : {}),
    ...(typeof search.from === 'string' && DAY.test(search.from) ? { from: search.from } : {}),
    ...(typeof search.to === 'string' && DAY.test(search.to) ? { to: search.to } : {}),
  };
}

export function AuditPage() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const [draft, setDraft] = useState(filters);
  const scope = companyScope();
  const query = useInfiniteQuery({
    queryKey: ['audit', scope, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/audit-events', {
          params: {
            query: {
              limit: 50,
              ...scope,
              ...(filters.action ? { action: filters.action } : {}),
              ...(filters.from ? { from: new Date(`${filters.from}T00:00:00`).toISOString() } : {}),
              ...(filters.to ? { to: new Date(new Date(`${filters.to}T00:00:00`).getTime() + 86_400_000).toISOString() } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/admin/audit', search: validateAuditFilters(draft) });
  };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Action{' '}
          <input
            value={draft.action ?? ''}
            placeholder="e.g. recording.play"
            onChange={(e) => setDraft({ ...draft, action: e.target.value.trim() || undefined })}
          />
        </label>
        <label>
          From <input type="date" value={draft.from ?? ''} onChange={(e) => setDraft({ ...draft, from: e.target.value || undefined })} />
        </label>
        <label>
          To <input type="date" value={draft.to ?? ''} onChange={(e) => setDraft({ ...draft, to: e.target.value || undefined })} />
        </label>
        <div className="filter-actions">
          <button type="submit">Apply</button>
        </div>
      </form>
      <InfiniteList query={query} what="audit events" empty="No audit events match.">
        {(items) => (
          <TableWrap>
            <table>
              <caption className="visually-hidden">Audit events</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {items.map((event) => (
                  <tr key={event.id}>
                    <td>{formatDateTime(event.createdAt)}</td>
                    <td>
                      {event.actorSubject} <span className="muted">({event.actorRole})</span>
                    </td>
                    <td>{event.action}</td>
                    <td>
                      {event.targetType} {event.targetId ?? ''}
                    </td>
                    <td>{event.ip ?? '–'}</td>
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
