import { Link } from '@tanstack/react-router';
import type { TraceSummary } from '../api/types.ts';
import { CopyButton } from '../ui/copy-button.tsx';
import { formatCost, formatDuration, formatModel, formatTime, formatTokens } from '../ui/format.ts';
import { useFixedRows } from '../ui/use-fixed-rows.ts';

const ROW_HEIGHT = 38;

const COLUMNS = [
  'Time',
  'Status',
  'Duration',
  'Timeline',
  'Provider / Model',
  'In tok',
  'Out tok',
  'Cost',
  'Session',
  'Spans',
  'Root span',
  'Service',
  'Trace ID',
];

/** The trace list as a virtualised grid: only the rows in view are in the DOM. */
export function TraceTable({
  traces,
  hasMore,
  loadingMore,
  loadMore,
}: {
  traces: TraceSummary[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}) {
  const { scroller, virtualizer } = useFixedRows<HTMLElement>(traces.length, ROW_HEIGHT, 12);
  const longest = Math.max(1, ...traces.map((trace) => trace.durationMs));
  return (
    <div className="table-wrap">
      <div className="trace-grid head">
        {COLUMNS.map((column) => (
          <div key={column}>{column}</div>
        ))}
      </div>
      <section className="scroller" ref={scroller} aria-label="Traces">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const trace = traces[item.index];
            if (trace === undefined) return null;
            return (
              <Link
                key={trace.traceId}
                to="/traces/$traceId"
                params={{ traceId: trace.traceId }}
                className={`trace-grid row ${trace.status}`}
                data-testid="trace-row"
                data-trace-id={trace.traceId}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <div title={formatTime(trace.startTimeUnixNano)}>
                  {formatTime(trace.startTimeUnixNano, false)}
                </div>
                <div>
                  <span className={`badge ${trace.status}`}>{trace.status.toUpperCase()}</span>
                </div>
                <div className="num">{formatDuration(trace.durationMs)}</div>
                <div className="timeline" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, (trace.durationMs / longest) * 100)}%` }} />
                </div>
                <div className="ellipsis">{formatModel(trace.providers, trace.models)}</div>
                <div className="num">{formatTokens(trace.inputTokens)}</div>
                <div className="num">{formatTokens(trace.outputTokens)}</div>
                <div className="num">{formatCost(trace.cost)}</div>
                <div className="ellipsis">{trace.sessionId ?? '—'}</div>
                <div className="num">{trace.spanCount}</div>
                <div className="ellipsis" title={trace.rootName ?? undefined}>
                  {trace.rootName ?? '—'}
                </div>
                <div
                  className="ellipsis"
                  data-testid="trace-service"
                  title={trace.serviceName ?? undefined}
                >
                  {trace.serviceName ?? '—'}
                </div>
                <div className="mono">
                  {trace.traceId.slice(0, 8)}
                  <CopyButton text={trace.traceId} label="trace id" />
                </div>
              </Link>
            );
          })}
        </div>
      </section>
      <div className="paging">
        <span>
          {traces.length} trace{traces.length === 1 ? '' : 's'}
        </span>
        {hasMore && (
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load older traces'}
          </button>
        )}
      </div>
    </div>
  );
}
