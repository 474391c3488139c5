/**
 * The store's public contract. The gateway, the collector and the CLI depend on these types
 * only; how rows are written (COPY / unnest) stays inside the package.
 */
import type { SpanRecord } from '@to11/trace-core';
import type { Dashboard, DashboardQuery } from './dashboard.ts';
import type { LimitSettings, LimitSubject } from './limit-windows.ts';
import type { SemanticVectors } from './semantic-vectors.ts';
import type { SessionList, SessionListFilters } from './sessions.ts';
import type { TimeRange, TraceFacets } from './trace-facets.ts';

/** The four scopes of SPEC §3. */
export type Scope = 'gateway:invoke' | 'otel:write' | 'traces:read' | 'admin';

/** `project`: bound to one project. `org`: any project of the organization. */
export type ScopeClass = 'project' | 'org';

/** An organization. */
export interface Organization {
  id: string; // org_<base32>
  name: string;
  createdAt: Date;
}

/** A project of an organization. */
export interface Project {
  id: string; // proj_<base32>
  orgId: string;
  name: string;
  createdAt: Date;
}

/** An API key as listed: never the secret, only its 8-character prefix. */
export interface ApiKeyInfo {
  id: string; // key_<base32>
  orgId: string;
  name: string | null;
  prefix: string;
  scopeClass: ScopeClass;
  projectId: string | null; // set for project keys, null for org keys
  scopes: Scope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

/** What a verified API key may do. */
export interface KeyPrincipal {
  keyId: string;
  orgId: string;
  scopeClass: ScopeClass;
  projectId: string | null;
  scopes: Scope[];
  expiresAt: Date | null;
}

/** Result of verifying a presented secret: unknown, malformed, revoked or expired keys are all
 * `invalid` (401). */
export type KeyVerification = { status: 'valid'; principal: KeyPrincipal } | { status: 'invalid' };

/** Input to create a key. */
export interface CreateKeyInput {
  orgId: string;
  name?: string | null;
  scopeClass: ScopeClass;
  projectId?: string | null;
  scopes: Scope[];
  expiresAt?: Date | null;
  environment?: 'live' | 'test';
  /** Use this exact secret (bootstrap with TO11_BOOTSTRAP_API_KEY); otherwise one is generated. */
  secret?: string;
}

/** Filters of the trace list (SPEC §6 and §9 "Trace list"), all combined with AND. */
export interface TraceListFilters {
  sinceUnixNano?: bigint;
  untilUnixNano?: bigint;
  /** Any of these, as the request or response model of any span. */
  models?: string[];
  /** Any of these `gen_ai.provider.name` values. */
  providers?: string[];
  status?: 'ok' | 'error';
  sessionId?: string;
  /** `service.name` of any span's resource. */
  service?: string;
  /** `user.id`, `enduser.id` or `gen_ai.user.id` of any span. */
  userId?: string;
  /** `deployment.environment.name` / `deployment.environment` (resource or span attribute). */
  environment?: string;
  /** A span with operation `execute_tool`, a `tool_call.*` span, or a tool call in an output. */
  hasToolCalls?: boolean;
  /** Input + output tokens, counted once per LLM call; bounds inclusive. */
  minTokens?: number;
  maxTokens?: number;
  /** USD, counted once per LLM call; a trace without cost has none to compare (left out). */
  minCost?: number;
  maxCost?: number;
  /** Trace duration (first start to last end). */
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Each pair: a span attribute or resource attribute with that key and string value. */
  attributes?: Array<[key: string, value: string]>;
  /** A trace id (or hex prefix of 8+), a span name substring, or captured content (any case). */
  q?: string;
  /** Adds `serviceName` (the root span's resource `service.name`) to every summary. */
  includeService?: boolean;
  limit?: number; // default 50, at most 500
  cursor?: string; // opaque, from nextCursor
}

/** One row of the trace list (SPEC §9). */
export interface TraceSummary {
  traceId: string;
  rootName: string | null;
  startTimeUnixNano: bigint;
  durationMs: number;
  spanCount: number;
  status: 'ok' | 'error' | 'unset';
  models: string[];
  providers: string[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  sessionId: string | null;
  /** Only with `includeService`: the root span's resource `service.name`. */
  serviceName?: string | null;
}

/** A page of trace summaries. */
export interface TraceList {
  traces: TraceSummary[];
  nextCursor: string | null;
}

/** Result of a span batch write. */
export type WriteResult =
  | { status: 'ok'; written: number } // committed (re-sent spans count as written, stored once)
  | { status: 'unavailable'; error: Error } // store unreachable or failed: nothing acknowledged
  | { status: 'rejected'; error: Error }; // refused for its content (retrying cannot help): nothing stored

/** Options of a batched span writer. */
export interface SpanWriterOptions {
  /** Most spans waiting in memory; past it `enqueue` answers 'overflow'. Default 10_000. */
  maxQueuedSpans?: number;
  /** Spans per committed batch. Default 512. */
  maxBatchSpans?: number;
  /** Longest a span waits before its batch is flushed. Default 200 ms. */
  flushIntervalMs?: number;
  /** Concurrent batch writes (connections). Default 2 on Postgres, 1 on PGlite. */
  concurrency?: number;
  /**
   * When set, a batch the store could not write is retried after this delay (doubling, at most
   * 30 s) instead of resolving 'unavailable'; it keeps its place in the queue bound meanwhile, so
   * a long outage ends in 'overflow' for new spans. `close()` stops retrying: what is still
   * unwritten then resolves 'unavailable'. Default: no retry (the collector answers 503 and the
   * client retries). A 'rejected' batch is never retried.
   */
  retryDelayMs?: number;
}

/** Outcome of handing spans to the writer. */
export type EnqueueResult =
  | { status: 'queued'; committed: Promise<WriteResult> } // resolves once the batch holding them committed or failed
  | { status: 'overflow' }; // queue full: nothing of this call was taken

/** A bounded, batching span writer. */
export interface SpanWriter {
  enqueue(spans: SpanRecord[]): EnqueueResult;
  /** Spans waiting or being written. */
  readonly queuedSpans: number;
  /** Spans resolved 'rejected' since the writer was made (refused for their content). */
  readonly rejectedSpans: number;
  /** Writes everything queued so far; resolves when done. */
  flush(): Promise<void>;
  /** Flushes, then stops accepting. */
  close(): Promise<void>;
}

/**
 * What a store runs on: a Postgres server of its own (`postgres`, `DATABASE_URL`), or an
 * embedded one in the data directory, a Postgres child process or PGlite.
 */
export type StoreEngine = 'postgres' | 'embedded-postgres' | 'pglite';

/** The store: one per process (an embedded store's directory is locked to its process). */
export interface Store {
  readonly engine: StoreEngine;
  /** `select 1` against the database: true when it answers. */
  ping(): Promise<boolean>;

  organizations: {
    create(name: string): Promise<Organization>;
    list(): Promise<Organization[]>;
  };
  projects: {
    create(orgId: string, name: string): Promise<Project>;
    list(orgId: string): Promise<Project[]>;
    get(projectId: string): Promise<Project | null>;
  };
  keys: {
    /** Creates a key and returns its secret once. */
    create(input: CreateKeyInput): Promise<{ key: ApiKeyInfo; secret: string }>;
    /**
     * Hash lookup + constant-time compare; revoked or expired keys are invalid. Valid results
     * are cached in memory for `keyCacheTtlMs` (default 5 s) so the hot path does not hit the
     * database per request; `revoke` on this store evicts at once (SPEC §9).
     */
    verify(secret: string): Promise<KeyVerification>;
    list(orgId: string, filter?: { projectId?: string }): Promise<ApiKeyInfo[]>;
    /** Revokes by id or prefix within the org; false when nothing matched. */
    revoke(orgId: string, idOrPrefix: string): Promise<boolean>;
    /**
     * `revoke`, resolving the revoked key ids (empty when nothing matched), so the caller can
     * tell other processes to drop them from their caches too.
     */
    revokeIds(orgId: string, idOrPrefix: string): Promise<string[]>;
    /** Drops these keys from this store's verified-key cache (a revocation seen elsewhere). */
    forgetCached(keyIds: Iterable<string>): void;
  };
  /** Rate limits and budgets stored per API key and per project (SPEC §10 "Shared state"). */
  limits: {
    /** The stored settings of each subject id (a `key_…` or `proj_…` id); unset ones all null. */
    get(subjectIds: string[]): Promise<Map<string, LimitSettings>>;
    /** Replaces a subject's settings; all null removes its row. */
    set(input: {
      orgId: string;
      subjectKind: LimitSubject;
      subjectId: string;
      settings: LimitSettings;
    }): Promise<void>;
  };
  /** Semantic cache entries on pgvector, where the database has the extension. */
  semanticVectors: SemanticVectors;
  spans: {
    /** Writes one batch in one transaction, idempotent on (project, trace id, span id). */
    write(spans: SpanRecord[]): Promise<WriteResult>;
    createWriter(options?: SpanWriterOptions): SpanWriter;
    /** Every span of the project in that trace, ordered by start time; [] when none. */
    getTrace(projectId: string, traceId: string): Promise<SpanRecord[]>;
    listTraces(projectId: string, filters?: TraceListFilters): Promise<TraceList>;
    /** Distinct models, providers, services and environments of spans starting in the range. */
    facets(projectId: string, range?: TimeRange): Promise<TraceFacets>;
    /** Sessions whose traces start in the range, newest first. */
    listSessions(projectId: string, filters?: SessionListFilters): Promise<SessionList>;
    /** The traces of a session (summaries with `serviceName`), oldest first; [] when none. */
    getSession(projectId: string, sessionId: string): Promise<TraceSummary[]>;
    /** Counted LLM calls of a range, bucketed, per model or provider. */
    dashboard(projectId: string, query: DashboardQuery): Promise<Dashboard>;
    /** Drops span partitions that end before now - days; returns the dropped partition names. */
    dropPartitionsOlderThan(days: number): Promise<string[]>;
  };
  /**
   * SPEC §9 bootstrap, safe when several processes start at once (advisory lock).
   * Empty store: creates org `default`, project `default` and a project key with all four
   * scopes; returns its secret (`apiKey` given: that exact secret is used). Non-empty store:
   * with `apiKey`, makes sure that key exists (created in the first project if its hash is
   * unknown); without, does nothing.
   */
  bootstrap(options?: { apiKey?: string }): Promise<BootstrapResult>;
  close(): Promise<void>;
}

/** What `bootstrap` did. */
export type BootstrapResult =
  | { status: 'created'; orgId: string; projectId: string; keyId: string; secret: string }
  | { status: 'existing' };
