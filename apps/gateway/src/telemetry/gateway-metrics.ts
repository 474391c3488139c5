/**
 * The gateway's metrics at `GET /metrics` (SPEC §9 "Metric names", reference §6): the OTel
 * GenAI client/server histograms with the semconv bucket boundaries and the §6.3 dimensions
 * (dots → underscores), the finish-reason and error counters, the retry counters of §6.2, the
 * to11 span-buffer series and the configuration generation.
 */
import type { ExportMetricFamily } from '@to11/forward';
import {
  Counter,
  Gauge,
  Histogram,
  type Labels,
  type MetricSnapshot,
  renderMetrics,
  seriesKey,
} from './prometheus.ts';

const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const FAST_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5];
const THROUGHPUT_BUCKETS = [1, 5, 10, 20, 40, 60, 80, 100, 150, 200, 300, 500, 1000];

/** A forwarding family as a snapshot (a gauge's series is its one unlabelled value). */
function exportSnapshot(family: ExportMetricFamily): MetricSnapshot {
  const { name, help, series } = family;
  return family.type === 'gauge'
    ? { type: 'gauge', name, help, value: series[0]?.value ?? 0 }
    : { type: 'counter', name, help, series };
}

/** Which metric family an operation records (reference §2.2, "Metrics" column). */
export type MetricScope = 'all' | 'duration_and_tokens' | 'duration';

/** One finished GenAI call (one upstream attempt), as the metrics see it. */
export interface GenAiObservation {
  scope: MetricScope;
  operation: string;
  provider: string;
  requestModel: string;
  responseModel?: string | undefined;
  serverAddress?: string | undefined;
  serverPort?: number | undefined;
  /** Client-side duration of the operation, seconds. */
  durationS: number;
  requestDurationS?: number | undefined;
  timeToFirstTokenS?: number | undefined;
  timePerOutputTokenS?: number | undefined;
  outputTokensPerSecond?: number | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  finishReasons?: readonly string[] | undefined;
  errorType?: string | undefined;
  /** A/B experiment and variant of the attempt (`gateway.experiment.*`, reference §8.2). */
  experiment?: { name: string; variant: string } | undefined;
}

/** The series one label set records into on success, bound once (see `GatewayMetrics.record`). */
interface SuccessCells {
  operationDuration: (value: number) => void;
  inputTokens: (value: number) => void;
  outputTokens: (value: number) => void;
  requestDuration: (value: number) => void;
  timeToFirstToken: (value: number) => void;
  timePerOutputToken: (value: number) => void;
  outputTokensPerSecond: (value: number) => void;
  /** Finish-reason counters by reason. */
  finishReasons: Map<string, () => void>;
}

/** Label sets kept bound at most (models × providers × servers stay far below it). */
const MAX_BOUND_LABEL_SETS = 10_000;

/** The gateway's metric registry. */
export class GatewayMetrics {
  readonly operationDuration = new Histogram(
    'gen_ai_client_operation_duration_seconds',
    'GenAI operation duration.',
    DURATION_BUCKETS,
  );
  readonly tokenUsage = new Histogram(
    'gen_ai_client_token_usage',
    'Number of input and output tokens used.',
    TOKEN_BUCKETS,
  );
  readonly timeToFirstToken = new Histogram(
    'gen_ai_server_time_to_first_token_seconds',
    'Time to generate the first token (first content delta when streaming).',
    FAST_BUCKETS,
  );
  readonly requestDuration = new Histogram(
    'gen_ai_server_request_duration_seconds',
    'Upstream request duration.',
    DURATION_BUCKETS,
  );
  readonly timePerOutputToken = new Histogram(
    'gen_ai_server_time_per_output_token_seconds',
    'Time per output token generated after the first token.',
    FAST_BUCKETS,
  );
  readonly outputTokensPerSecond = new Histogram(
    'gen_ai_client_output_tokens_per_second',
    'Output tokens per second of each call.',
    THROUGHPUT_BUCKETS,
  );
  readonly finishReasons = new Counter(
    'gen_ai_client_finish_reasons_total',
    'Finish reasons of GenAI responses.',
  );
  readonly errors = new Counter('gen_ai_client_errors_total', 'Failed GenAI operations.');
  readonly spansDropped = new Counter(
    'to11_spans_dropped_total',
    'Spans lost because the span buffer was full or the store write failed.',
  );
  readonly storeWriteErrors = new Counter(
    'to11_store_write_errors_total',
    'Span writes that the store did not commit.',
  );
  readonly limitRefusals = new Counter(
    'to11_limit_refusals_total',
    'Requests the gateway refused with 429 rate_limit, by limit name (key.requests_per_minute, …).',
  );
  readonly limitStateErrors = new Counter(
    'to11_limit_state_errors_total',
    'Limit checks and usage updates Redis did not answer, by on_redis_error policy (open serves, closed refuses).',
  );
  readonly guardrailDecisions = new Counter(
    'to11_guardrail_decisions_total',
    'Guardrail detectors that matched, by detector, action (flag, redact, block) and direction.',
  );
  readonly cacheLookups = new Counter(
    'to11_cache_lookups_total',
    'Exact-cache lookups by backend and result (hit, miss, bypass, error = served as a miss).',
  );
  readonly cacheWrites = new Counter(
    'to11_cache_writes_total',
    'Exact-cache writes by backend and result (stored, too_large, error).',
  );
  readonly semanticCacheLookups = new Counter(
    'to11_semantic_cache_lookups_total',
    'Semantic-cache lookups by backend and result (hit, miss, bypass, no_embedding, error = served as a miss).',
  );
  readonly semanticCacheWrites = new Counter(
    'to11_semantic_cache_writes_total',
    'Semantic-cache writes by backend and result (stored, too_large, error).',
  );
  readonly callsShed = new Counter(
    'to11_gateway_calls_shed_total',
    'Calls answered 503 overloaded because TO11_GATEWAY_MAX_IN_FLIGHT were in flight.',
  );
  readonly retryAttempts = new Counter(
    'gateway_retry_attempts_total',
    'Upstream attempts after the first of a request (retries and fallbacks).',
  );
  readonly targetExclusions = new Counter(
    'gateway_retry_target_exclusions_total',
    'Targets excluded from selection within a request after failing.',
  );
  readonly exhaustionResets = new Counter(
    'gateway_retry_exhaustion_resets_total',
    'Exclusion sets reset because every target of a step had failed.',
  );
  /** Generation of the configuration in force: 1 at start, +1 per applied reload. */
  configGeneration = 1;
  readonly #configGeneration = new Gauge(
    'to11_config_generation',
    'Generation of the to11.toml in force (1 at start, +1 per applied reload).',
    () => this.configGeneration,
    'max',
  );
  readonly configReloadFailures = new Counter(
    'to11_config_reload_failures_total',
    'Reloads refused because the new configuration was invalid (the old one stays).',
  );
  readonly #bufferSize: Gauge;
  /** Cells of the label sets seen so far, by series key. */
  readonly #cells = new Map<string, SuccessCells>();

  readonly #exportFamilies: () => ExportMetricFamily[];

  /**
   * `bufferSize` reads the span writer's queue length at scrape time, `exportFamilies` the
   * `to11_export_*` series of span forwarding (none when nothing is forwarded).
   */
  constructor(bufferSize: () => number, exportFamilies: () => ExportMetricFamily[] = () => []) {
    this.#exportFamilies = exportFamilies;
    this.#bufferSize = new Gauge(
      'to11_span_buffer_size',
      'Spans waiting in memory to be written to the store.',
      bufferSize,
    );
  }

  /** Records one GenAI call into the families its operation uses. */
  record(o: GenAiObservation): void {
    const labels: Record<string, string> = {
      gen_ai_operation_name: o.operation,
      gen_ai_provider_name: o.provider,
      gen_ai_request_model: o.requestModel,
    };
    if (o.responseModel) labels.gen_ai_response_model = o.responseModel;
    if (o.serverAddress) labels.server_address = o.serverAddress;
    if (o.serverPort !== undefined) labels.server_port = String(o.serverPort);
    if (o.experiment) {
      labels.gateway_experiment_name = o.experiment.name;
      labels.gateway_experiment_variant = o.experiment.variant;
    }
    if (o.errorType) {
      this.errors.inc({ ...labels, error_type: o.errorType });
      this.operationDuration.observe({ ...labels, error_type: o.errorType }, o.durationS);
      return;
    }
    const cells = this.#cellsOf(labels);
    cells.operationDuration(o.durationS);
    if (o.scope === 'duration') return;
    if (o.inputTokens !== undefined) cells.inputTokens(o.inputTokens);
    if (o.outputTokens !== undefined) cells.outputTokens(o.outputTokens);
    if (o.scope !== 'all') return;
    if (o.requestDurationS !== undefined) cells.requestDuration(o.requestDurationS);
    if (o.timeToFirstTokenS !== undefined) cells.timeToFirstToken(o.timeToFirstTokenS);
    if (o.timePerOutputTokenS !== undefined) cells.timePerOutputToken(o.timePerOutputTokenS);
    if (o.outputTokensPerSecond !== undefined) {
      cells.outputTokensPerSecond(o.outputTokensPerSecond);
    }
    for (const reason of o.finishReasons ?? []) {
      let count = cells.finishReasons.get(reason);
      if (!count) {
        count = this.finishReasons.cell({ ...labels, gen_ai_response_finish_reason: reason });
        cells.finishReasons.set(reason, count);
      }
      count();
    }
  }

  /** A retry or fallback attempt (reference §6.2 `gateway.retry.attempts`). */
  retryAttempt(): void {
    this.retryAttempts.inc();
  }

  /** A failed target left out of the next picks (`gateway.retry.target_exclusions`). */
  targetExcluded(target: string): void {
    this.targetExclusions.inc({ gateway_retry_excluded_target: target });
  }

  /** Every target had failed: the exclusion set starts over (`gateway.retry.exhaustion_resets`). */
  exhaustionReset(): void {
    this.exhaustionResets.inc();
  }

  /** The success cells of a label set, bound at its first call. */
  #cellsOf(labels: Labels): SuccessCells {
    const key = seriesKey(labels);
    let cells = this.#cells.get(key);
    if (!cells) {
      if (this.#cells.size >= MAX_BOUND_LABEL_SETS) this.#cells.clear();
      cells = {
        operationDuration: this.operationDuration.cell(labels, key),
        inputTokens: this.tokenUsage.cell({ ...labels, gen_ai_token_type: 'input' }),
        outputTokens: this.tokenUsage.cell({ ...labels, gen_ai_token_type: 'output' }),
        requestDuration: this.requestDuration.cell(labels, key),
        timeToFirstToken: this.timeToFirstToken.cell(labels, key),
        timePerOutputToken: this.timePerOutputToken.cell(labels, key),
        outputTokensPerSecond: this.outputTokensPerSecond.cell(labels, key),
        finishReasons: new Map(),
      };
      this.#cells.set(key, cells);
    }
    return cells;
  }

  /** Every metric as plain data, in exposition order (what worker processes exchange). */
  snapshot(): MetricSnapshot[] {
    return [
      this.operationDuration,
      this.tokenUsage,
      this.timeToFirstToken,
      this.requestDuration,
      this.timePerOutputToken,
      this.outputTokensPerSecond,
      this.finishReasons,
      this.errors,
      this.#bufferSize,
      this.spansDropped,
      this.storeWriteErrors,
      this.limitRefusals,
      this.limitStateErrors,
      this.guardrailDecisions,
      this.cacheLookups,
      this.cacheWrites,
      this.semanticCacheLookups,
      this.semanticCacheWrites,
      this.callsShed,
      this.retryAttempts,
      this.targetExclusions,
      this.exhaustionResets,
      this.#configGeneration,
      this.configReloadFailures,
    ]
      .map((metric) => metric.snapshot())
      .concat(this.#exportFamilies().map(exportSnapshot));
  }

  /** The exposition document of this process. */
  render(): string {
    return renderMetrics(this.snapshot());
  }
}
