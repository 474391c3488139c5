import { type FormEvent, useEffect, useState } from 'react';
import { RANGE_PRESETS, type RangePreset, type TraceFilters } from '../filters/trace-filters.ts';

const RANGE_LABELS: Record<RangePreset, string> = {
  '10m': 'Last 10 minutes',
  '30m': 'Last 30 minutes',
  '1h': 'Last hour',
  '3h': 'Last 3 hours',
  '8h': 'Last 8 hours',
  '24h': 'Last 24 hours',
  '3d': 'Last 3 days',
  '7d': 'Last 7 days',
  '14d': 'Last 14 days',
  '30d': 'Last 30 days',
  '60d': 'Last 60 days',
};

type TextField = 'model' | 'provider' | 'sessionId';

const TEXT_FIELDS: { field: TextField; label: string; placeholder: string }[] = [
  { field: 'model', label: 'Model', placeholder: 'gpt-4o-mini' },
  { field: 'provider', label: 'Provider', placeholder: 'openai' },
  { field: 'sessionId', label: 'Session', placeholder: 'session id' },
];

/** The list's filters; selects apply at once, text fields on Enter or "Apply". */
export function TraceFilterBar({
  filters,
  onChange,
}: {
  filters: TraceFilters;
  onChange: (next: TraceFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Trace filters">
      <label>
        Time range
        <select
          name="range"
          value={filters.range}
          onChange={(event) => onChange({ ...draft, range: event.target.value as RangePreset })}
        >
          {Object.keys(RANGE_PRESETS).map((preset) => (
            <option key={preset} value={preset}>
              {RANGE_LABELS[preset as RangePreset]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select
          name="status"
          value={filters.status}
          onChange={(event) =>
            onChange({ ...draft, status: event.target.value as TraceFilters['status'] })
          }
        >
          <option value="all">All</option>
          <option value="ok">OK</option>
          <option value="error">Errors</option>
        </select>
      </label>
      {TEXT_FIELDS.map(({ field, label, placeholder }) => (
        <label key={field}>
          {label}
          <input
            name={field}
            value={draft[field]}
            placeholder={placeholder}
            onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
          />
        </label>
      ))}
      <button type="submit">Apply</button>
    </form>
  );
}
