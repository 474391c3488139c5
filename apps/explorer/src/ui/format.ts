/** How numbers and times read on every page. */

/** `1.2 ms`, `340 ms`, `2.31 s`, `4m 05s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** USD with enough digits for fractions of a cent; `—` when unknown. */
export function formatCost(cost: number | null): string {
  if (cost === null) return '—';
  if (cost === 0) return '$0';
  return cost < 0.01 ? `$${cost.toPrecision(2)}` : `$${cost.toFixed(4)}`;
}

/** A token count with thousands separators. */
export function formatTokens(count: number): string {
  return count.toLocaleString('en-US');
}

/** A nanosecond timestamp (decimal string) as local date and time, milliseconds optional. */
export function formatTime(unixNano: string, withMs = true): string {
  const date = new Date(Number(BigInt(unixNano) / 1_000_000n));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${withMs ? `.${pad(date.getMilliseconds(), 3)}` : ''}`;
}

/** Provider / model as one label: `openai / gpt-4o-mini`; `—` for a trace without GenAI spans. */
export function formatModel(providers: readonly string[], models: readonly string[]): string {
  const model = models.join(', ');
  const provider = providers.join(', ');
  if (model === '' && provider === '') return '—';
  return provider === '' ? model : model === '' ? provider : `${provider} / ${model}`;
}
