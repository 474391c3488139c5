import { useQueries } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { fetchTrace } from '../api/client.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import { Message } from '../conversation/conversation-view.tsx';
import { formatCost, formatDuration, formatTokens } from '../ui/format.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { type CompareFacts, compareFacts, relativeChange } from './compare-facts.ts';

const ROWS: {
  label: string;
  value: (f: CompareFacts) => number | null;
  show: (f: CompareFacts) => string;
}[] = [
  {
    label: 'Duration',
    value: (f) => f.totals.durationMs,
    show: (f) => formatDuration(f.totals.durationMs),
  },
  {
    label: 'Input tokens',
    value: (f) => f.totals.inputTokens,
    show: (f) => formatTokens(f.totals.inputTokens),
  },
  {
    label: 'Output tokens',
    value: (f) => f.totals.outputTokens,
    show: (f) => formatTokens(f.totals.outputTokens),
  },
  { label: 'Cost', value: (f) => f.totals.cost, show: (f) => formatCost(f.totals.cost) },
  { label: 'LLM calls', value: (f) => f.totals.llmCalls, show: (f) => String(f.totals.llmCalls) },
  {
    label: 'Tool calls',
    value: (f) => f.totals.toolCalls,
    show: (f) => String(f.totals.toolCalls),
  },
  { label: 'Spans', value: (f) => f.totals.spanCount, show: (f) => String(f.totals.spanCount) },
];

function PickForm({ a, b }: { a: string; b: string }) {
  const navigate = useNavigate();
  const [draft, setDraft] = useState({ a, b });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/compare', search: { a: draft.a.trim(), b: draft.b.trim() } });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Traces to compare">
      {(['a', 'b'] as const).map((side) => (
        <label key={side}>
          Trace {side.toUpperCase()}
          <input
            name={side}
            className="mono"
            value={draft[side]}
            placeholder="32 hex trace id"
            onChange={(event) => setDraft({ ...draft, [side]: event.target.value })}
          />
        </label>
      ))}
      <button type="submit">Compare</button>
    </form>
  );
}

function CompareTable({
  ids,
  facts,
}: {
  ids: [string, string];
  facts: [CompareFacts, CompareFacts];
}) {
  const [a, b] = facts;
  return (
    <div className="compare">
      <table className="compare-table" aria-label="Comparison">
        <thead>
          <tr>
            <th />
            {ids.map((id) => (
              <th key={id} className="mono">
                <Link to="/traces/$traceId" params={{ traceId: id }}>
                  {id.slice(0, 8)}
                </Link>
              </th>
            ))}
            <th>B vs A</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>Status</th>
            {facts.map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two fixed sides
              <td key={i}>
                <span className={`badge ${f.totals.status}`}>{f.totals.status.toUpperCase()}</span>
              </td>
            ))}
            <td />
          </tr>
          <tr>
            <th>Models</th>
            {facts.map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two fixed sides
              <td key={i}>{f.models.join(', ') || '—'}</td>
            ))}
            <td />
          </tr>
          {ROWS.map((row) => (
            <tr key={row.label}>
              <th>{row.label}</th>
              <td className="num">{row.show(a)}</td>
              <td className="num">{row.show(b)}</td>
              <td className="num">{relativeChange(row.value(a), row.value(b))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="compare-outputs">
        {facts.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: two fixed sides
          <section key={i} className="conversation" aria-label={`Output ${i === 0 ? 'A' : 'B'}`}>
            <h3>Output {i === 0 ? 'A' : 'B'}</h3>
            {f.output.length === 0 ? (
              <p className="hint">No captured answer in this trace.</p>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: captured messages are an ordered list
              f.output.map((message, index) => <Message key={index} message={message} />)
            )}
          </section>
        ))}
      </div>
    </div>
  );
}

/** Two traces side by side: latency, tokens, cost and the answer (how an A/B route is read). */
export function ComparePage({ a, b }: { a: string; b: string }) {
  const apiKey = useSignedInKey();
  const ids: [string, string] = [a.toLowerCase(), b.toLowerCase()];
  const ready = /^[0-9a-f]{32}$/.test(ids[0]) && /^[0-9a-f]{32}$/.test(ids[1]);
  const queries = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['trace', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchTrace(id, apiKey, signal),
      enabled: ready,
    })),
  });
  const failed = queries.find((query) => query.isError);
  const [qa, qb] = queries;
  return (
    <main className="compare-page">
      <div className="toolbar">
        <Link to="/">← Traces</Link>
        <h1>Compare traces</h1>
      </div>
      <PickForm a={a} b={b} />
      {!ready ? (
        <p className="state">
          Enter two trace ids (32 hex digits) — or open a trace and use “Compare with…”.
        </p>
      ) : failed !== undefined ? (
        <LoadError error={failed.error} retry={() => void failed.refetch()} />
      ) : qa?.data === undefined || qb?.data === undefined ? (
        <Loading what="both traces" />
      ) : (
        <CompareTable
          ids={ids}
          facts={[compareFacts(qa.data.spans), compareFacts(qb.data.spans)]}
        />
      )}
    </main>
  );
}
