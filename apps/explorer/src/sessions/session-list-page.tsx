/**
 * Sessions: traces grouped by `gen_ai.session.id`, newest first, with their totals
 * (`GET /api/v1/sessions`, cursor-paged with "Load more").
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { fetchSessions } from '../api/client.ts';
import type { SessionSummary } from '../api/types.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import type { RangePreset } from '../filters/trace-filters.ts';
import { formatCost, formatDuration, formatTime, formatTokens } from '../ui/format.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { RangeSelect } from '../ui/range-select.tsx';
import { rangeQuery } from '../ui/view-range.ts';

function SessionRow({ session }: { session: SessionSummary }) {
  return (
    <tr data-testid="session-row" data-session-id={session.sessionId}>
      <td className="mono">
        <Link to="/sessions/$sessionId" params={{ sessionId: session.sessionId }}>
          {session.sessionId}
        </Link>
      </td>
      <td>{formatTime(session.lastStartUnixNano, false)}</td>
      <td>{formatTime(session.firstStartUnixNano, false)}</td>
      <td className="num" data-field="traces">
        {session.traceCount}
      </td>
      <td className="num" data-field="calls">
        {session.callCount}
      </td>
      <td className="num" data-field="tokens">
        {formatTokens(session.inputTokens)} / {formatTokens(session.outputTokens)}
      </td>
      <td className="num" data-field="cost">
        {formatCost(session.cost)}
      </td>
      <td className="num">{formatDuration(session.durationMs)}</td>
      <td>{session.models.join(', ') || '—'}</td>
      <td className={session.errorCount > 0 ? 'num error-text' : 'num'}>{session.errorCount}</td>
    </tr>
  );
}

function NoSessions() {
  return (
    <div className="state empty">
      <h2>No sessions in this time range</h2>
      <p>
        A session groups the traces that carry the same <code>gen_ai.session.id</code>. Send the
        header <code>x-to11-session-id: &lt;your id&gt;</code> with gateway calls, or set the
        attribute on your app's spans. The <Link to="/">trace list</Link> shows how to send a first
        call.
      </p>
    </div>
  );
}

/** The session list of a time range. */
export function SessionListPage({ range }: { range: RangePreset }) {
  const apiKey = useSignedInKey();
  const navigate = useNavigate();
  const query = useInfiniteQuery({
    queryKey: ['sessions', range],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = rangeQuery(range, Date.now());
      if (pageParam !== null) params.set('cursor', pageParam);
      return fetchSessions(params, apiKey, signal);
    },
    getNextPageParam: (page) => page.nextCursor,
  });
  const sessions = query.data?.pages.flatMap((page) => page.sessions) ?? [];
  return (
    <main className="view-page">
      <div className="toolbar">
        <h1>Sessions</h1>
        <RangeSelect
          value={range}
          onChange={(next) => void navigate({ to: '/sessions', search: { range: next } })}
        />
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {query.isPending ? (
        <Loading what="sessions" />
      ) : query.isError ? (
        <LoadError error={query.error} retry={() => void query.refetch()} />
      ) : sessions.length === 0 ? (
        <NoSessions />
      ) : (
        <div className="table-scroll">
          <table className="view-table">
            <thead>
              <tr>
                <th>Session</th>
                <th>Last trace</th>
                <th>First trace</th>
                <th className="num">Traces</th>
                <th className="num">LLM calls</th>
                <th className="num">Tokens in / out</th>
                <th className="num">Cost</th>
                <th className="num">Duration</th>
                <th>Models</th>
                <th className="num">Errors</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <SessionRow key={session.sessionId} session={session} />
              ))}
            </tbody>
          </table>
          {query.hasNextPage && (
            <button
              type="button"
              className="load-more"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
            >
              {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </div>
      )}
    </main>
  );
}
