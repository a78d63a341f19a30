import { useState, type FormEvent } from 'react';
import type { ListFilters } from './filters';
import { RECORDING_STATUSES } from './filters';

interface Props {
  filters: ListFilters;
  onChange: (filters: ListFilters) => void;
  kind: 'recordings' | 'calls';
  owners?: { id: string; label: string }[] | undefined;
}

/** The filters of a list; applying them rewrites the URL, which the list reads. */
export function FilterBar({ filters, onChange, kind, owners }: Props) {
  const [draft, setDraft] = useState<ListFilters>(filters);
  const set = (key: keyof ListFilters, value: string) => setDraft((current) => ({ ...current, [key]: value === '' ? undefined : value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const sort = `${draft.sortBy ?? 'startedAt'}:${draft.sortOrder ?? 'desc'}`;
  return (
    <form className="filters" onSubmit={submit} aria-label={`Filter ${kind}`}>
      <label>
        From <input type="date" value={draft.from ?? ''} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        To <input type="date" value={draft.to ?? ''} onChange={(e) => set('to', e.target.value)} />
      </label>
      <label>
        Number or owner <input type="search" value={draft.search ?? ''} maxLength={100} onChange={(e) => set('search', e.target.value)} />
      </label>
      {owners ? (
        <label>
          Owner
          <select value={draft.ownerUserId ?? ''} onChange={(e) => set('ownerUserId', e.target.value)}>
            <option value="">Anyone</option>
            {owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Status
        <select value={draft.status ?? ''} onChange={(e) => set('status', e.target.value)}>
          <option value="">Any</option>
          {(kind === 'recordings' ? RECORDING_STATUSES : ['completed', 'in-progress', 'no-answer', 'busy', 'failed']).map((status) => (
            <option key={status}>{status}</option>
          ))}
        </select>
      </label>
      <label>
        Direction
        <select value={draft.direction ?? ''} onChange={(e) => set('direction', e.target.value)}>
          <option value="">Any</option>
          <option value="inbound">inbound</option>
          <option value="outbound">outbound</option>
        </select>
      </label>
      {kind === 'recordings' ? (
        <>
          <label>
            Starred
            <select value={draft.starred ?? ''} onChange={(e) => set('starred', e.target.value)}>
              <option value="">Any</option>
              <option value="true">Starred</option>
              <option value="false">Not starred</option>
            </select>
          </label>
          <label>
            Archived
            <select value={draft.archived ?? ''} onChange={(e) => set('archived', e.target.value)}>
              <option value="">Any</option>
              <option value="false">Not archived</option>
              <option value="true">Archived</option>
            </select>
          </label>
        </>
      ) : null}
      <label>
        Sort
        <select
          value={sort}
          onChange={(e) => {
            const [sortBy, sortOrder] = e.target.value.split(':') as [ListFilters['sortBy'], ListFilters['sortOrder']];
            setDraft((current) => ({ ...current, sortBy, sortOrder }));
          }}
        >
          <option value="startedAt:desc">Newest first</option>
          <option value="startedAt:asc">Oldest first</option>
          <option value="duration:desc">Longest first</option>
          <option value="duration:asc">Shortest first</option>
          <option value="createdAt:desc">Recently added</option>
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft({});
            onChange({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
