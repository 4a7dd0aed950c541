import { type FormEvent, type ReactNode, useState } from 'react';
import { isoToLocalInput, localInputToIso } from '../../format';

export const FILTERS = [
  'from',
  'to',
  'tag',
  'sendAfter',
  'sendBefore',
  'batchId',
  'scheduleId',
  'tenant',
] as const;
export type Filter = (typeof FILTERS)[number];
export type Filters = Readonly<Record<Filter, string>>;

export function noFilters(): Filters {
  return Object.fromEntries(FILTERS.map((name) => [name, ''])) as Record<Filter, string>;
}

/** An instant from the address bar as the local `datetime-local` value; other text as it is. */
function localValue(value: string): string {
  return value !== '' && !Number.isNaN(Date.parse(value)) && value.includes('Z')
    ? isoToLocalInput(value)
    : value;
}

function FilterInput({
  label,
  value,
  onChange,
  placeholder,
  type,
}: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly placeholder?: string;
  readonly type?: 'datetime-local';
}): ReactNode {
  return (
    <label>
      {label}{' '}
      <input
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
      />
    </label>
  );
}

/**
 * The list's filters, folded away while none is set. Applying or clearing them calls `apply` with
 * every filter (instants as ISO); the tenant filter is for admins only.
 */
export function EmailFilters({
  filters,
  admin,
  apply,
}: {
  readonly filters: Filters;
  readonly admin: boolean;
  readonly apply: (filters: Filters) => void;
}): ReactNode {
  const [draft, setDraft] = useState(filters);
  const active = FILTERS.filter((name) => filters[name] !== '').length;
  const set = (name: Filter) => (value: string) => setDraft({ ...draft, [name]: value });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    apply({
      ...draft,
      sendAfter: localInputToIso(draft.sendAfter) ?? draft.sendAfter,
      sendBefore: localInputToIso(draft.sendBefore) ?? draft.sendBefore,
    });
  };
  const clear = (): void => {
    const empty = noFilters();
    setDraft(empty);
    apply(empty);
  };

  return (
    <details className="card filters" open={active > 0}>
      <summary>Filters{active > 0 ? ` (${active})` : ''}</summary>
      <form className="filter-grid" onSubmit={submit}>
        <FilterInput
          label="From"
          value={draft.from}
          onChange={set('from')}
          placeholder="sender address"
        />
        <FilterInput label="To" value={draft.to} onChange={set('to')} placeholder="any recipient" />
        <FilterInput label="Tag" value={draft.tag} onChange={set('tag')} />
        <FilterInput
          label="Send after"
          type="datetime-local"
          value={localValue(draft.sendAfter)}
          onChange={set('sendAfter')}
        />
        <FilterInput
          label="Send before"
          type="datetime-local"
          value={localValue(draft.sendBefore)}
          onChange={set('sendBefore')}
        />
        <FilterInput
          label="Batch"
          value={draft.batchId}
          onChange={set('batchId')}
          placeholder="batch id"
        />
        <FilterInput
          label="Schedule"
          value={draft.scheduleId}
          onChange={set('scheduleId')}
          placeholder="schedule id"
        />
        {admin && (
          <FilterInput
            label="Tenant"
            value={draft.tenant}
            onChange={set('tenant')}
            placeholder="all tenants"
          />
        )}
        <div className="actions">
          <button type="submit" className="button primary small">
            Apply
          </button>
          <button type="button" className="button secondary small" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
    </details>
  );
}
