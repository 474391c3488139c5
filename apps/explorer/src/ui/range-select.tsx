import type { RangePreset } from '../filters/trace-filters.ts';
import { RANGE_CHOICES } from './view-range.ts';

/** How a preset reads in the picker. */
export const RANGE_LABELS: Record<RangePreset, string> = {
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

/** The time range picker of the trace list, sessions and dashboard pages: `Last 24 hours`, … */
export function RangeSelect({
  value,
  onChange,
  disabled = false,
  title,
}: {
  value: RangePreset;
  onChange: (range: RangePreset) => void;
  disabled?: boolean;
  title?: string;
}) {
  return (
    <label className="range-select" title={title}>
      <span>Time range</span>
      <select
        name="range"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value as RangePreset)}
        aria-label="Time range"
      >
        {RANGE_CHOICES.map((range) => (
          <option key={range} value={range}>
            {RANGE_LABELS[range]}
          </option>
        ))}
      </select>
    </label>
  );
}
