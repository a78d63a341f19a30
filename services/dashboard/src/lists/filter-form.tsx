import type { FormEvent, ReactNode } from 'react';
import type { DayRange } from './day-range';

/**
 * A list's filter form: the fields are its children, edited as a draft; applying hands the draft
 * to the page, which writes it to the URL the list reads.
 */
export function FilterForm({ label, onApply, onClear, children }: { label: string; onApply: () => void; onClear?: () => void; children: ReactNode }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply();
  };
  return (
    <form className="filters" onSubmit={submit} aria-label={label}>
      {children}
      <div className="filter-actions">
        <button type="submit">Apply</button>
        {onClear ? (
          <button type="button" className="secondary" onClick={onClear}>
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The From and To day fields of a filter form; a cleared field drops that end of the range. */
export function DayRangeFields({ range, onChange }: { range: DayRange; onChange: (range: DayRange) => void }) {
  return (
    <>
      <label>
        From <input type="date" value={range.from ?? ''} onChange={(e) => onChange({ ...range, from: e.target.value || undefined })} />
      </label>
      <label>
        To <input type="date" value={range.to ?? ''} onChange={(e) => onChange({ ...range, to: e.target.value || undefined })} />
      </label>
    </>
  );
}

/** A choice: the value sent, and the words shown where they differ from it. */
type Choice = string | { value: string; label: string };

/** A select filter whose first, empty choice means "no filter". */
export function ChoiceFilter({
  label,
  value,
  any = 'Any',
  choices,
  onChange,
}: {
  label: string;
  value: string | undefined;
  any?: string;
  choices: readonly Choice[];
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {choices.map((choice) =>
          typeof choice === 'string' ? (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ) : (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ),
        )}
      </select>
    </label>
  );
}
