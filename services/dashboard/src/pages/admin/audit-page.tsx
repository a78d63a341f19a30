import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { type DayRange, toApiRange, validateDayRange } from '../../lists/day-range';
import { DayRangeFields, FilterForm } from '../../lists/filter-form';
import { PagedTable } from '../../lists/paged-table';
import { usePagedQuery } from '../../lists/use-paged-query';
import { formatDateTime } from '../../ui/format';

const route = getRouteApi('/admin/audit');
const ACTION = /^[a-z_.]{1,60}$/;

export type AuditFilters = DayRange & { action?: string };

export function validateAuditFilters(search: Record<string, unknown>): AuditFilters {
  return {
    ...(typeof search.action === 'string' && ACTION.test(search.action) ? { action: search.action } : {}),
    ...validateDayRange(search),
  };
}

export function AuditPage() {
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const [draft, setDraft] = useState(filters);
  const scope = companyScope();
  const query = usePagedQuery(['audit', scope, filters], (cursor) =>
    unwrap(
      api.GET('/v1/audit-events', {
        params: { query: { limit: 50, ...scope, ...(filters.action ? { action: filters.action } : {}), ...toApiRange(filters), ...cursor } },
      }),
    ),
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <FilterForm label="Filter the audit log" onApply={() => void navigate({ to: '/admin/audit', search: validateAuditFilters(draft) })}>
        <label>
          Action{' '}
          <input
            value={draft.action ?? ''}
            placeholder="e.g. recording.play"
            onChange={(e) => setDraft({ ...draft, action: e.target.value.trim() || undefined })}
          />
        </label>
        <DayRangeFields range={draft} onChange={(range) => setDraft({ ...draft, ...range })} />
      </FilterForm>
      <PagedTable
        query={query}
        what="audit events"
        empty="No audit events match."
        caption="Audit events"
        columns={['When', 'Who', 'Action', 'Target', 'From']}
        row={(event) => (
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
        )}
      />
    </section>
  );
}
