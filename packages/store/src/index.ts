/** @to11/store: tenancy, keys and the span store, on Postgres or an embedded store. */

export {
  AuthFailureLimiter,
  type AuthFailureLimiterOptions,
  type AuthFailureReason,
  type AuthMetricFamily,
} from './auth-failure-limiter.ts';
export {
  autoBucketSeconds,
  BUCKET_STEPS,
  type CallTotals,
  type Dashboard,
  type DashboardPoint,
  type DashboardQuery,
} from './dashboard.ts';
export { redactDatabaseUrl, StoreInputError, StoreUnavailableError } from './errors.ts';
export { ALL_SCOPES } from './keys.ts';
export {
  counterKey,
  counterValue,
  LIMIT_METRICS,
  type LimitMetric,
  type LimitName,
  type LimitSettings,
  type LimitSubject,
  type LimitWindow,
  MICRO_USD,
  NO_LIMITS,
  revocationChannel,
  windowOf,
} from './limit-windows.ts';
export { OutageGate, StoreDownError } from './outage-gate.ts';
export {
  type ProjectAccess,
  type ProjectAccessDenial,
  resolveProjectAccess,
} from './project-access.ts';
export type {
  SemanticVectorEntry,
  SemanticVectorMatch,
  SemanticVectors,
} from './semantic-vectors.ts';
export type { SessionList, SessionListFilters, SessionSummary } from './sessions.ts';
export { MAX_UNIX_NANO } from './span-row.ts';
export { type OpenStoreOptions, openStore } from './store.ts';
export type { TimeRange, TraceFacets } from './trace-facets.ts';
export type {
  ApiKeyInfo,
  BootstrapResult,
  CreateKeyInput,
  EnqueueResult,
  KeyPrincipal,
  KeyVerification,
  Organization,
  Project,
  Scope,
  ScopeClass,
  SpanWriter,
  SpanWriterOptions,
  Store,
  StoreEngine,
  TraceList,
  TraceListFilters,
  TraceSummary,
  WriteResult,
} from './types.ts';
