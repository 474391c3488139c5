/**
 * One session as a conversation: its totals, then every LLM call of its traces in time order
 * (session-timeline.ts), each turn linked to its trace. The traces come from
 * `GET /api/v1/traces/{id}`, cached under the same keys as the trace page.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { fetchSession, fetchTrace } from '../api/client.ts';
import type { Trace } from '../api/types.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import { Message } from '../conversation/conversation-view.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { formatCost, formatDuration, formatTime, formatTokens } from '../ui/format.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { sessionFacts } from './session-facts.ts';
import { type SessionTimeline, type SessionTurn, sessionTimeline } from './session-timeline.ts';

function Turn({ turn, index }: { turn: SessionTurn; index: number }) {
  return (
    <article className="turn" data-testid="session-turn" data-trace-id={turn.traceId}>
      <header>
        <strong>Turn {index + 1}</strong>
        <span>{formatTime(turn.startTimeUnixNano)}</span>
        {turn.model && <span>{turn.model}</span>}
        <Link to="/traces/$traceId" params={{ traceId: turn.traceId }} className="mono">
          trace {turn.traceId.slice(0, 8)}
        </Link>
      </header>
      {turn.repeated > 0 && (
        <p className="hint">
          {turn.repeated} earlier message{turn.repeated === 1 ? '' : 's'} of the conversation sent
          again (not repeated here)
        </p>
      )}
      {turn.input.map((message, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: captured messages are an ordered list
        <Message key={`in-${i}`} message={message} />
      ))}
      {turn.output.map((message, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: captured messages are an ordered list
        <Message key={`out-${i}`} message={message} />
      ))}
      {turn.input.length + turn.output.length === 0 && (
        <p className="hint">No messages captured for this call.</p>
      )}
    </article>
  );
}

function Timeline({ timeline }: { timeline: SessionTimeline }) {
  const { turns, withoutCalls } = timeline;
  return (
    <section className="session-timeline" aria-label="Conversation">
      {turns.length === 0 && <p className="state">No LLM calls in this session's traces.</p>}
      {turns.map((turn, index) => (
        <Turn key={`${turn.traceId}-${turn.spanId}`} turn={turn} index={index} />
      ))}
      {withoutCalls.length > 0 && (
        <>
          <h3>Traces without an LLM call</h3>
          <ul className="plain-list">
            {withoutCalls.map((trace) => (
              <li key={trace.traceId}>
                {formatTime(trace.startTimeUnixNano)}{' '}
                <Link to="/traces/$traceId" params={{ traceId: trace.traceId }}>
                  {trace.rootName ?? trace.traceId.slice(0, 8)}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function SessionBody({ traceIds, facts }: { traceIds: string[]; facts: [string, string][] }) {
  const apiKey = useSignedInKey();
  const { traces, failed } = useQueries({
    queries: traceIds.map((traceId) => ({
      queryKey: ['trace', traceId],
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchTrace(traceId, apiKey, signal),
    })),
    combine: (results) => ({
      traces: results.flatMap((result): Trace[] =>
        result.data === undefined ? [] : [result.data],
      ),
      failed: results.find((result) => result.isError),
    }),
  });
  const loaded = traces.length === traceIds.length;
  const timeline = useMemo(() => (loaded ? sessionTimeline(traces) : null), [loaded, traces]);
  return (
    <>
      <header className="trace-header">
        <dl>
          {[...facts, ['LLM calls', timeline === null ? '…' : String(timeline.turns.length)]].map(
            ([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ),
          )}
        </dl>
      </header>
      {failed !== undefined ? (
        <LoadError error={failed.error} retry={() => void failed.refetch()} />
      ) : timeline === null ? (
        <Loading what={`the session's traces (${traces.length} of ${traceIds.length})`} />
      ) : (
        <Timeline timeline={timeline} />
      )}
    </>
  );
}

/** The session page. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const apiKey = useSignedInKey();
  const query = useQuery({
    queryKey: ['session', sessionId],
    queryFn: ({ signal }) => fetchSession(sessionId, apiKey, signal),
  });
  const summary = useMemo(() => sessionFacts(query.data?.traces ?? []), [query.data]);
  const facts: [string, string][] = [
    ['Traces', String(summary.traceCount)],
    [
      'Tokens',
      `${formatTokens(summary.inputTokens)} in / ${formatTokens(summary.outputTokens)} out`,
    ],
    ['Cost', formatCost(summary.cost)],
    ['Duration', formatDuration(summary.durationMs)],
    ['First', summary.firstStartUnixNano ? formatTime(summary.firstStartUnixNano, false) : '—'],
    ['Last', summary.lastStartUnixNano ? formatTime(summary.lastStartUnixNano, false) : '—'],
  ];
  return (
    <main className="view-page">
      <div className="toolbar">
        <Link to="/sessions" search={{ range: '7d' }}>
          ← Sessions
        </Link>
        <h1 className="mono">
          Session {sessionId} <CopyButton text={sessionId} label="session id" />
        </h1>
        <Link to="/" search={{ session: sessionId, range: '60d' }}>
          Its traces in the list
        </Link>
      </div>
      {query.isPending ? (
        <Loading what="the session" />
      ) : query.isError ? (
        <LoadError error={query.error} retry={() => void query.refetch()} />
      ) : (
        <SessionBody traceIds={query.data.traces.map((trace) => trace.traceId)} facts={facts} />
      )}
    </main>
  );
}
