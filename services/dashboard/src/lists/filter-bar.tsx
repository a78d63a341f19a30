import { useState } from 'react';
import { ChoiceFilter, DayRangeFields, FilterForm } from './filter-form';
import type { ListFilters } from './filters';
import { RECORDING_STATUSES } from './filters';

const CALL_STATUSES = ['completed', 'in-progress', 'no-answer', 'busy', 'failed'];

interface Props {
  filters: ListFilters;
  onChange: (filters: ListFilters) => void;
  kind: 'recordings' | 'calls';
  owners?: { value: string; label: string }[] | undefined;
}

/** The filters of a list; applying them rewrites the URL, which the list reads. */
/** The two answers of a yes/no filter, as the API's `true`/`false`. */
const yesNo = (yes: string, no: string) => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];

export function FilterBar({ filters, onChange, kind, owners }: Props) {
  const [draft, setDraft] = useState<ListFilters>(filters);
  const set = (key: keyof ListFilters, value: string) => setDraft((current) => ({ ...current, [key]: value === '' ? undefined : value }));
  const clear = () => {
    setDraft({});
    onChange({});
  };
  const sort = `${draft.sortBy ?? 'startedAt'}:${draft.sortOrder ?? 'desc'}`;
  return (
    <FilterForm label={`Filter ${kind}`} onApply={() => onChange(draft)} onClear={clear}>
      <DayRangeFields range={draft} onChange={(range) => setDraft((current) => ({ ...current, ...range }))} />
      <label>
        Number or owner <input type="search" value={draft.search ?? ''} maxLength={100} onChange={(e) => set('search', e.target.value)} />
      </label>
      {owners ? <ChoiceFilter label="Owner" value={draft.ownerUserId} any="Anyone" choices={owners} onChange={(value) => set('ownerUserId', value)} /> : null}
      <ChoiceFilter
        label="Status"
        value={draft.status}
        choices={kind === 'recordings' ? RECORDING_STATUSES : CALL_STATUSES}
        onChange={(value) => set('status', value)}
      />
      <ChoiceFilter label="Direction" value={draft.direction} choices={['inbound', 'outbound']} onChange={(value) => set('direction', value)} />
      {kind === 'recordings' ? (
        <>
          <ChoiceFilter label="Starred" value={draft.starred} choices={yesNo('Starred', 'Not starred')} onChange={(value) => set('starred', value)} />
          <ChoiceFilter
            label="Archived"
            value={draft.archived}
            choices={yesNo('Archived', 'Not archived').reverse()}
            onChange={(value) => set('archived', value)}
          />
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
    </FilterForm>
  );
}
