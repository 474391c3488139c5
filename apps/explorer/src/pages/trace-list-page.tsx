import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { fetchTraceList } from '../api/client.ts';
import type { TraceList } from '../api/types.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import {
  DEFAULT_FILTERS,
  filtersFromSearch,
  filtersToApiQuery,
  filtersToSearch,
} from '../filters/trace-filters.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { EmptyState } from './empty-state.tsx';
import { TraceFilterBar } from './trace-filter-bar.tsx';
import { TraceTable } from './trace-table.tsx';

interface PageParam {
  cursor: string | null;
  /** The first page's clock: every page of one list shares its time window. */
  nowMs: number;
}

/** How often live mode asks for new traces. */
const LIVE_POLL_MS = 3000;

/**
 * The trace list: filters from the URL, newest first, cursor-paged. In live mode the loaded
 * pages are re-read every few seconds with a fresh window end, so new traces appear at the top.
 */
export function TraceListPage({ search }: { search: Record<string, string> }) {
  const apiKey = useSignedInKey();
  const navigate = useNavigate();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [live, setLive] = useState(false);
  const query = useInfiniteQuery({
    refetchInterval: live ? LIVE_POLL_MS : false,
    queryKey: ['traces', filters],
    initialPageParam: { cursor: null, nowMs: 0 } as PageParam,
    queryFn: async ({ pageParam, signal }): Promise<TraceList & { nowMs: number }> => {
      const nowMs = pageParam.nowMs === 0 ? Date.now() : pageParam.nowMs;
      const list = await fetchTraceList(
        filtersToApiQuery(filters, nowMs, { cursor: pageParam.cursor }),
        apiKey,
        signal,
      );
      return { ...list, nowMs };
    },
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor === null ? undefined : { cursor: last.nextCursor, nowMs: last.nowMs },
  });
  const traces = useMemo(
    () => query.data?.pages.flatMap((page) => page.traces) ?? [],
    [query.data],
  );
  const filtered =
    JSON.stringify(filtersToSearch({ ...filters, range: DEFAULT_FILTERS.range })) !== '{}';

  return (
    <main className="list-page">
      <div className="toolbar">
        <h1>Traces</h1>
        <label className="live-toggle" title="Poll for new traces every 3 s">
          <input
            type="checkbox"
            name="live"
            checked={live}
            onChange={(event) => setLive(event.target.checked)}
          />
          Live{live && <span className="live-dot" aria-hidden="true" />}
        </label>
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching && !query.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <TraceFilterBar
        filters={filters}
        onChange={(next) => void navigate({ to: '/', search: filtersToSearch(next) })}
      />
      {query.isPending ? (
        <Loading what="traces" />
      ) : query.isError ? (
        <LoadError error={query.error} retry={() => void query.refetch()} />
      ) : traces.length === 0 ? (
        <EmptyState filtered={filtered} />
      ) : (
        <TraceTable
          traces={traces}
          hasMore={query.hasNextPage}
          loadingMore={query.isFetchingNextPage}
          loadMore={() => void query.fetchNextPage()}
        />
      )}
    </main>
  );
}
