/**
 * The explorer's routes (TanStack Router, code-based): `/` the trace list with its filters in
 * the search params, `/traces/$traceId` one trace, `/compare?a=…&b=…` two traces side by side,
 * `/sessions?range=…` the sessions, `/sessions/$sessionId` one session as a conversation,
 * `/dashboard?range=…&by=model|provider` the dashboard. Search params are plain `a=b` pairs (not the
 * router's default JSON encoding) so shared links stay readable.
 */
import { createRootRoute, createRoute, createRouter, Link, Outlet } from '@tanstack/react-router';
import { useApiKey } from './auth/api-key-context.tsx';
import { ComparePage } from './compare/compare-page.tsx';
import { DashboardPage, type DashboardSearch } from './dashboard/dashboard-page.tsx';
import {
  filtersFromSearch,
  filtersToSearch,
  parseSearchString,
  type SearchParams,
  stringifySearch,
} from './filters/trace-filters.ts';
import { SignInPage } from './pages/sign-in-page.tsx';
import { TraceDetailPage } from './pages/trace-detail-page.tsx';
import { TraceListPage } from './pages/trace-list-page.tsx';
import { SessionListPage } from './sessions/session-list-page.tsx';
import { SessionPage } from './sessions/session-page.tsx';
import { rangeFromSearch } from './ui/view-range.ts';

function Shell() {
  const { apiKey, signOut } = useApiKey();
  if (apiKey === null) return <SignInPage />;
  return (
    <>
      <nav className="topbar">
        <Link to="/" className="brand">
          to11 <span>trace explorer</span>
        </Link>
        <Link to="/" className="nav-link">
          Traces
        </Link>
        <Link to="/sessions" search={{ range: '7d' }} className="nav-link">
          Sessions
        </Link>
        <Link to="/dashboard" search={{ range: '24h', by: 'model' }} className="nav-link">
          Dashboard
        </Link>
        <Link to="/compare" search={{ a: '', b: '' }} className="nav-link">
          Compare
        </Link>
        <button type="button" className="link" onClick={signOut}>
          Sign out
        </button>
      </nav>
      <Outlet />
    </>
  );
}

const rootRoute = createRootRoute({
  component: Shell,
  notFoundComponent: () => (
    <main className="state">
      <h2>No such page</h2>
      <Link to="/">Go to the trace list</Link>
    </main>
  ),
});

const listRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: (search: Record<string, unknown>): SearchParams =>
    filtersToSearch(filtersFromSearch(search)),
  component: function ListRoute() {
    return <TraceListPage search={listRoute.useSearch()} />;
  },
});

const traceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/traces/$traceId',
  component: function TraceRoute() {
    const { traceId } = traceRoute.useParams();
    return <TraceDetailPage traceId={traceId.toLowerCase()} />;
  },
});

const compareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compare',
  validateSearch: (search: Record<string, unknown>): { a: string; b: string } => ({
    a: typeof search.a === 'string' ? search.a.trim().slice(0, 64) : '',
    b: typeof search.b === 'string' ? search.b.trim().slice(0, 64) : '',
  }),
  component: function CompareRoute() {
    const { a, b } = compareRoute.useSearch();
    return <ComparePage a={a} b={b} />;
  },
});

const sessionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sessions',
  validateSearch: (search: Record<string, unknown>) => ({
    range: rangeFromSearch(search.range, '7d'),
  }),
  component: function SessionsRoute() {
    return <SessionListPage range={sessionsRoute.useSearch().range} />;
  },
});

const sessionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sessions/$sessionId',
  component: function SessionRoute() {
    return <SessionPage sessionId={sessionRoute.useParams().sessionId} />;
  },
});

const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dashboard',
  validateSearch: (search: Record<string, unknown>): DashboardSearch => ({
    range: rangeFromSearch(search.range, '24h'),
    by: search.by === 'provider' ? 'provider' : 'model',
  }),
  component: function DashboardRoute() {
    return <DashboardPage search={dashboardRoute.useSearch()} />;
  },
});

/** The router of the app. */
export const router = createRouter({
  routeTree: rootRoute.addChildren([
    listRoute,
    traceRoute,
    compareRoute,
    sessionsRoute,
    sessionRoute,
    dashboardRoute,
  ]),
  parseSearch: parseSearchString,
  stringifySearch,
  defaultPreload: false,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
