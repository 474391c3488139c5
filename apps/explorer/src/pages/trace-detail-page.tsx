import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useMemo, useState } from 'react';
import { fetchTrace } from '../api/client.ts';
import type { Trace } from '../api/types.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { formatCost, formatDuration, formatTokens } from '../ui/format.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { layoutWaterfall } from '../waterfall/layout.ts';
import { traceTotals } from '../waterfall/trace-totals.ts';
import { WaterfallView } from '../waterfall/waterfall-view.tsx';
import { SpanPanel } from './span-panel.tsx';

function downloadJson(trace: Trace): void {
  const blob = new Blob([JSON.stringify(trace, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = `trace-${trace.traceId}.json`;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function TraceBody({ trace }: { trace: Trace }) {
  const layout = useMemo(() => layoutWaterfall(trace.spans), [trace]);
  const totals = useMemo(() => traceTotals(trace.spans), [trace]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected =
    trace.spans.find((span) => span.spanId === selectedId) ?? layout.rows[0]?.span ?? null;
  const facts: [string, string][] = [
    ['Duration', formatDuration(totals.durationMs)],
    ['Spans', String(totals.spanCount)],
    ['Tokens', `${formatTokens(totals.inputTokens)} in / ${formatTokens(totals.outputTokens)} out`],
    ['Cost', formatCost(totals.cost)],
    ['LLM calls', String(totals.llmCalls)],
    ['Tool calls', String(totals.toolCalls)],
  ];
  return (
    <>
      <header className="trace-header">
        <span className={`badge ${totals.status}`}>{totals.status.toUpperCase()}</span>
        <dl>
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={() => downloadJson(trace)}>
          Download JSON
        </button>
      </header>
      <div className="detail-body">
        <WaterfallView
          layout={layout}
          selected={selected?.spanId ?? null}
          onSelect={setSelectedId}
        />
        {selected !== null && <SpanPanel span={selected} />}
      </div>
    </>
  );
}

/** A trace id field that opens the compare page with this trace as A. */
function CompareWith({ traceId }: { traceId: string }) {
  const navigate = useNavigate();
  const [other, setOther] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/compare', search: { a: traceId, b: other.trim() } });
  };
  return (
    <form className="compare-with" onSubmit={submit}>
      <input
        name="compareWith"
        className="mono"
        aria-label="Trace id to compare with"
        placeholder="Compare with trace id…"
        value={other}
        onChange={(event) => setOther(event.target.value)}
      />
      <button type="submit">Compare</button>
    </form>
  );
}

/** One trace: header totals, waterfall and the selected span's panel. */
export function TraceDetailPage({ traceId }: { traceId: string }) {
  const apiKey = useSignedInKey();
  const query = useQuery({
    queryKey: ['trace', traceId],
    queryFn: ({ signal }) => fetchTrace(traceId, apiKey, signal),
  });
  return (
    <main className="detail-page">
      <div className="toolbar">
        <Link to="/">← Traces</Link>
        <h1 className="mono">
          Trace {traceId} <CopyButton text={traceId} label="trace id" />
        </h1>
        <CompareWith traceId={traceId} />
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {query.isPending ? (
        <Loading what="the trace" />
      ) : query.isError ? (
        <LoadError error={query.error} retry={() => void query.refetch()} />
      ) : (
        <TraceBody trace={query.data} />
      )}
    </main>
  );
}
