import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { TraceFacets } from '../api/types.ts';
import {
  attributeError,
  clearedFilters,
  type FilterErrors,
  filterErrors,
  hasNarrowingFilters,
  isoToLocalInput,
  localInputToIso,
  type ToolCallsFilter,
  type TraceFilters,
} from '../filters/trace-filters.ts';
import { RangeSelect } from '../ui/range-select.tsx';

type TextField = 'q' | 'sessionId' | 'userId';
type NumberField =
  | 'minTokens'
  | 'maxTokens'
  | 'minCost'
  | 'maxCost'
  | 'minDurationMs'
  | 'maxDurationMs';

const RANGES: { label: string; min: NumberField; max: NumberField; unit: string }[] = [
  { label: 'Tokens', min: 'minTokens', max: 'maxTokens', unit: 'tokens' },
  { label: 'Cost (USD)', min: 'minCost', max: 'maxCost', unit: 'cost (USD)' },
  { label: 'Duration (ms)', min: 'minDurationMs', max: 'maxDurationMs', unit: 'duration (ms)' },
];

/** The inline message of a field, tied to its input by `aria-describedby`. */
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  );
}

/** A multi-select from the values that exist in the range, as a checkbox list in a popover. */
function MultiSelect({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: readonly string[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (event: PointerEvent) => {
      const element = details.current;
      if (element?.open && !element.contains(event.target as Node)) element.open = false;
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, []);
  // Values from a shared link stay pickable even when the range no longer has them.
  const choices = [...new Set([...options, ...selected])].sort();
  const summary = selected.length === 0 ? 'Any' : selected.join(', ');
  return (
    <div className="filter-field">
      <span className="filter-label">{label}</span>
      <details className="multi" ref={details}>
        <summary aria-label={`${label}: ${summary}`} title={summary}>
          {summary}
        </summary>
        <fieldset aria-label={label}>
          {choices.length === 0 && <p className="hint">None in this range</p>}
          {choices.map((choice) => (
            <label key={choice}>
              <input
                type="checkbox"
                checked={selected.includes(choice)}
                onChange={(event) =>
                  onChange(
                    event.target.checked
                      ? [...selected, choice]
                      : selected.filter((value) => value !== choice),
                  )
                }
              />
              {choice}
            </label>
          ))}
          {selected.length > 0 && (
            <button type="button" className="link" onClick={() => onChange([])}>
              Any {label.toLowerCase()}
            </button>
          )}
        </fieldset>
      </details>
    </div>
  );
}

/** A single choice from the range's values ('' for any). */
function FacetSelect({
  label,
  name,
  options,
  value,
  onChange,
}: {
  label: string;
  name: string;
  options: readonly string[];
  value: string;
  onChange: (next: string) => void;
}) {
  const choices = [...new Set(value === '' ? options : [...options, value])].sort();
  return (
    <label className="filter-field">
      <span className="filter-label">{label}</span>
      <select name={name} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Any</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The attribute filters as removable chips and a key / value pair to add one. */
function AttributeFilters({
  filters,
  onChange,
}: {
  filters: TraceFilters;
  onChange: (next: TraceFilters) => void;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const problem = attributeError(key);
    setError(problem);
    if (problem !== null) return;
    const attribute = { key: key.trim(), value: value.trim() };
    const others = filters.attributes.filter(
      (seen) => seen.key !== attribute.key || seen.value !== attribute.value,
    );
    onChange({ ...filters, attributes: [...others, attribute] });
    setKey('');
    setValue('');
  };
  const onEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  };
  return (
    <div className="filter-field attributes">
      <span className="filter-label">Attributes (all must match)</span>
      <div className="attribute-row">
        {filters.attributes.length > 0 && (
          <ul className="chips" aria-label="Attribute filters">
            {filters.attributes.map((attribute) => {
              const text = `${attribute.key} = ${attribute.value}`;
              return (
                <li key={`${attribute.key}=${attribute.value}`} className="chip">
                  <span className="mono">{text}</span>
                  <button
                    type="button"
                    aria-label={`Remove ${text}`}
                    onClick={() =>
                      onChange({
                        ...filters,
                        attributes: filters.attributes.filter((seen) => seen !== attribute),
                      })
                    }
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <input
          className="attr-key"
          aria-label="Attribute key"
          aria-invalid={error !== null}
          aria-describedby="attr-error"
          placeholder="key"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          onKeyDown={onEnter}
        />
        <span aria-hidden="true">=</span>
        <input
          className="attr-value"
          aria-label="Attribute value"
          placeholder="value"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={onEnter}
        />
        <button type="button" onClick={add}>
          Add
        </button>
      </div>
      <FieldError id="attr-error" message={error ?? undefined} />
    </div>
  );
}

/**
 * The list's filters. Pickers, checkboxes and chips apply at once; typed fields on Enter or
 * "Apply". A draft with errors (a non-number, min above max) is shown inline and not applied.
 */
export function TraceFilterBar({
  filters,
  facets,
  onChange,
}: {
  filters: TraceFilters;
  facets: TraceFacets | undefined;
  onChange: (next: TraceFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const errors: FilterErrors = filterErrors(draft);
  const valid = Object.keys(errors).length === 0;
  const apply = (next: TraceFilters) => {
    setDraft(next);
    if (Object.keys(filterErrors(next)).length === 0) onChange(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const text = (field: TextField | NumberField) => ({
    name: field,
    value: draft[field],
    'aria-invalid': errors[field] !== undefined,
    'aria-describedby': `${field}-error`,
    onChange: (event: { target: { value: string } }) =>
      setDraft({ ...draft, [field]: event.target.value }),
  });
  const bothEnds = draft.from !== '' && draft.to !== '';
  return (
    <form className="filters" onSubmit={submit} aria-label="Trace filters">
      <div className="filter-row">
        <label className="filter-field search">
          <span className="filter-label">Search</span>
          <input
            type="search"
            {...text('q')}
            maxLength={500}
            placeholder="Trace id, span name, prompt or answer text"
          />
        </label>
        <RangeSelect
          value={draft.range}
          disabled={bothEnds}
          title={bothEnds ? 'From and To are both set' : 'Before To, or before now'}
          onChange={(range) => apply({ ...draft, range })}
        />
        {(['from', 'to'] as const).map((end) => (
          <label key={end} className="filter-field">
            <span className="filter-label">{end === 'from' ? 'From' : 'To'}</span>
            <input
              type="datetime-local"
              name={end}
              value={isoToLocalInput(draft[end])}
              aria-invalid={errors[end] !== undefined}
              aria-describedby={`${end}-error`}
              onChange={(event) => apply({ ...draft, [end]: localInputToIso(event.target.value) })}
            />
            <FieldError id={`${end}-error`} message={errors[end]} />
          </label>
        ))}
        <label className="filter-field">
          <span className="filter-label">Status</span>
          <select
            name="status"
            value={draft.status}
            onChange={(event) =>
              apply({ ...draft, status: event.target.value as TraceFilters['status'] })
            }
          >
            <option value="all">All</option>
            <option value="ok">OK</option>
            <option value="error">Errors</option>
          </select>
        </label>
        <label className="filter-field">
          <span className="filter-label">Tool calls</span>
          <select
            name="tools"
            value={draft.toolCalls}
            onChange={(event) =>
              apply({ ...draft, toolCalls: event.target.value as ToolCallsFilter })
            }
          >
            <option value="any">Any</option>
            <option value="with">With tool calls</option>
            <option value="without">Without tool calls</option>
          </select>
        </label>
      </div>
      <div className="filter-row">
        <MultiSelect
          label="Provider"
          options={facets?.providers ?? []}
          selected={draft.providers}
          onChange={(providers) => apply({ ...draft, providers })}
        />
        <MultiSelect
          label="Model"
          options={facets?.models ?? []}
          selected={draft.models}
          onChange={(models) => apply({ ...draft, models })}
        />
        <FacetSelect
          label="Service"
          name="service"
          options={facets?.services ?? []}
          value={draft.service}
          onChange={(service) => apply({ ...draft, service })}
        />
        <FacetSelect
          label="Environment"
          name="environment"
          options={facets?.environments ?? []}
          value={draft.environment}
          onChange={(environment) => apply({ ...draft, environment })}
        />
        <label className="filter-field">
          <span className="filter-label">Session</span>
          <input placeholder="session id" {...text('sessionId')} />
        </label>
        <label className="filter-field">
          <span className="filter-label">User</span>
          <input placeholder="user id" {...text('userId')} />
        </label>
      </div>
      <div className="filter-row">
        {RANGES.map(({ label, min, max, unit }) => (
          <fieldset key={label} className="filter-field number-range">
            <legend className="filter-label">{label}</legend>
            <div>
              <input
                inputMode="decimal"
                placeholder="min"
                aria-label={`Min ${unit}`}
                {...text(min)}
              />
              <span aria-hidden="true">–</span>
              <input
                inputMode="decimal"
                placeholder="max"
                aria-label={`Max ${unit}`}
                {...text(max)}
              />
            </div>
            <FieldError id={`${min}-error`} message={errors[min]} />
            <FieldError id={`${max}-error`} message={errors[max]} />
          </fieldset>
        ))}
        <AttributeFilters filters={draft} onChange={apply} />
        <div className="filter-actions">
          <button type="submit" disabled={!valid}>
            Apply
          </button>
          {hasNarrowingFilters(filters) && (
            <button type="button" className="link" onClick={() => apply(clearedFilters(filters))}>
              Clear filters
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
