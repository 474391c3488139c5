import type { RangePreset } from '../filters/trace-filters.ts';
import { RANGE_CHOICES } from './view-range.ts';

/** The time range picker of the sessions and dashboard pages: `Last 24h`, … */
export function RangeSelect({
  value,
  onChange,
}: {
  value: RangePreset;
  onChange: (range: RangePreset) => void;
}) {
  return (
    <label className="range-select">
      <span>Time range</span>
      <select
        value={value}
        onChange={(event) => onChange(event.target.value as RangePreset)}
        aria-label="Time range"
      >
        {RANGE_CHOICES.map((range) => (
          <option key={range} value={range}>
            Last {range}
          </option>
        ))}
      </select>
    </label>
  );
}
