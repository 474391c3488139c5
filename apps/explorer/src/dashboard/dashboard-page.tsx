/**
 * The dashboard of a time range: totals, the charts of `CHARTS` (one line per model or
 * provider, a switch) and the top models by cost, all from `GET /api/v1/dashboard`.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { fetchDashboard } from '../api/client.ts';
import type { Dashboard } from '../api/types.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import type { RangePreset } from '../filters/trace-filters.ts';
import { formatCost, formatTokens } from '../ui/format.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { RangeSelect } from '../ui/range-select.tsx';
import { rangeBounds } from '../ui/view-range.ts';
import { CHARTS, chartData } from './dashboard-series.ts';
import { TimeChart } from './time-chart.tsx';

/** The dashboard's URL state. */
export interface DashboardSearch {
  range: RangePreset;
  by: 'model' | 'provider';
}

function Totals({ dashboard }: { dashboard: Dashboard }) {
  const { totals } = dashboard;
  const cards: [string, string, string][] = [
    ['calls', 'LLM calls', formatTokens(totals.calls)],
    ['errors', 'Errors', formatTokens(totals.errors)],
    ['inputTokens', 'Input tokens', formatTokens(totals.inputTokens)],
    ['outputTokens', 'Output tokens', formatTokens(totals.outputTokens)],
    ['cost', 'Cost', formatCost(totals.cost)],
  ];
  return (
    <dl className="totals">
      {cards.map(([name, label, value]) => (
        <div key={name} data-testid="dashboard-total" data-name={name}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function TopModels({ dashboard }: { dashboard: Dashboard }) {
  return (
    <section className="top-models" aria-label="Top models by cost">
      <h2>Top models by cost</h2>
      <div className="table-scroll">
        <table className="view-table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Provider</th>
              <th className="num">Calls</th>
              <th className="num">Tokens in / out</th>
              <th className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {dashboard.topModelsByCost.map((row) => (
              <tr key={`${row.provider}/${row.model}`} data-testid="top-model">
                <td>{row.model}</td>
                <td>{row.provider}</td>
                <td className="num">{formatTokens(row.calls)}</td>
                <td className="num">
                  {formatTokens(row.inputTokens)} / {formatTokens(row.outputTokens)}
                </td>
                <td className="num">{formatCost(row.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Charts({
  dashboard,
  since,
  until,
}: {
  dashboard: Dashboard;
  since: number;
  until: number;
}) {
  const charts = useMemo(
    () => CHARTS.map((spec) => ({ spec, data: chartData(dashboard, spec, since, until) })),
    [dashboard, since, until],
  );
  return (
    <div className="charts">
      {charts.map(({ spec, data }) => (
        <TimeChart key={spec.id} spec={spec} data={data} />
      ))}
    </div>
  );
}

/** The dashboard page. */
export function DashboardPage({ search }: { search: DashboardSearch }) {
  const apiKey = useSignedInKey();
  const navigate = useNavigate();
  const query = useQuery({
    queryKey: ['dashboard', search.range, search.by],
    queryFn: ({ signal }) => {
      // The range ends when the query runs; the charts use the same bounds.
      const bounds = rangeBounds(search.range, Date.now());
      const params = new URLSearchParams({
        since: String(bounds.since),
        until: String(bounds.until),
        groupBy: search.by,
      });
      return fetchDashboard(params, apiKey, signal).then((dashboard) => ({ dashboard, bounds }));
    },
    placeholderData: (previous) => previous,
  });
  const setSearch = (next: Partial<DashboardSearch>) =>
    void navigate({ to: '/dashboard', search: { ...search, ...next } });
  return (
    <main className="view-page">
      <div className="toolbar">
        <h1>Dashboard</h1>
        <RangeSelect value={search.range} onChange={(range) => setSearch({ range })} />
        <fieldset className="switch">
          <legend>Break down by</legend>
          {(['model', 'provider'] as const).map((by) => (
            <button
              key={by}
              type="button"
              aria-pressed={search.by === by}
              onClick={() => setSearch({ by })}
            >
              {by === 'model' ? 'Model' : 'Provider'}
            </button>
          ))}
        </fieldset>
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {query.isPending ? (
        <Loading what="the dashboard" />
      ) : query.isError ? (
        <LoadError error={query.error} retry={() => void query.refetch()} />
      ) : query.data.dashboard.totals.calls === 0 ? (
        <div className="state empty">
          <h2>No LLM calls in this time range</h2>
          <p>
            Widen the range, or send a call through the gateway: the <Link to="/">trace list</Link>{' '}
            shows how.
          </p>
        </div>
      ) : (
        <>
          <Totals dashboard={query.data.dashboard} />
          <Charts
            dashboard={query.data.dashboard}
            since={query.data.bounds.since}
            until={query.data.bounds.until}
          />
          <TopModels dashboard={query.data.dashboard} />
        </>
      )}
    </main>
  );
}
