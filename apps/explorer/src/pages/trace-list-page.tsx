import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { fetchTraceFacets, fetchTraceList } from '../api/client.ts';
import type { TraceList } from '../api/types.ts';
import { useSignedInKey } from '../auth/api-key-context.tsx';
import {
  clearedFilters,
  filterErrors,
  filtersFromSearch,
  filtersToApiQuery,
  filtersToSearch,
  filterWindow,
  hasNarrowingFilters,
  type SearchParams,
  type TraceFilters,
} from '../filters/trace-filters.ts';
import { LoadError, Loading } from '../ui/query-state.tsx';
import { EmptyState, NoMatchState } from './empty-state.tsx';
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
 * The values the model, provider, service and environment pickers offer for the window; in live
 * mode re-read now and then, so a new model becomes pickable.
 */
function useFacets(filters: TraceFilters, valid: boolean, live: boolean) {
  const apiKey = useSignedInKey();
  return useQuery({
    queryKey: ['trace-facets', filters.range, filters.from, filters.to],
    enabled: valid,
    staleTime: 30_000,
    refetchInterval: live ? 15_000 : false,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => {
      const { since, until } = filterWindow(filters, Date.now());
      const query = new URLSearchParams({ since: String(since), until: String(until) });
      return fetchTraceFacets(query, apiKey, signal);
    },
  });
}

/**
 * The trace list: filters from the URL, newest first, cursor-paged. In live mode the loaded
 * pages are re-read every few seconds with a fresh window end, so new traces appear at the top.
 * Filters with errors (a hand-edited link) are shown in the bar and not sent.
 */
export function TraceListPage({ search }: { search: SearchParams }) {
  const apiKey = useSignedInKey();
  const navigate = useNavigate();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const valid = Object.keys(filterErrors(filters)).length === 0;
  const [live, setLive] = useState(false);
  const facets = useFacets(filters, valid, live);
  const query = useInfiniteQuery({
    enabled: valid,
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
  const show = (next: TraceFilters) => void navigate({ to: '/', search: filtersToSearch(next) });

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
        <button
          type="button"
          onClick={() => void query.refetch()}
          disabled={!valid || query.isFetching}
        >
          {query.isFetching && !query.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <TraceFilterBar filters={filters} facets={facets.data} onChange={show} />
      {!valid ? (
        <p className="state error" role="alert">
          Some filters are not valid (marked above): fix them to see the list.
        </p>
      ) : query.isPending ? (
        <Loading what="traces" />
      ) : query.isError ? (
        <LoadError error={query.error} retry={() => void query.refetch()} />
      ) : traces.length === 0 ? (
        hasNarrowingFilters(filters) ? (
          <NoMatchState clear={() => show(clearedFilters(filters))} />
        ) : (
          <EmptyState />
        )
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
