/**
 * The trace of one gateway request (SPEC §5): the inbound W3C context, the HTTP server span and
 * the spans recorded under it. The HTTP span ends when the response is complete: at once for a
 * JSON answer, or when a stream that {@link RequestTrace.hold}s it releases it.
 */
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_PROJECT_ID,
  type Attributes,
  formatTraceparent,
  parseTraceparent,
  parseTracestate,
  randomSpanId,
  randomTraceId,
  type SpanRecord,
  type SpanResource,
  type SpanStatus,
} from '@to11/trace-core';
import { nowNs } from './clock.ts';

/** The instrumentation scope of every gateway span. */
export const GATEWAY_SCOPE = { name: 'to11-gateway', version: '0.1.0' } as const;
/** `service.name` of every gateway span. */
export const GATEWAY_SERVICE_NAME = 'to11-gateway';

/** A span recorded under the request, before the project is stamped on it. */
export type ChildSpan = Pick<
  SpanRecord,
  'spanId' | 'name' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano' | 'status' | 'attributes'
> & { parentSpanId: string };

/** Called once with every span of the request when the HTTP span ends (none without a project). */
export type TraceEndListener = (spans: SpanRecord[]) => void;

/**
 * The trace a request's answer belongs to: the caller's when its `traceparent` is valid (with
 * its flags), else a new sampled one.
 */
export function inboundTrace(traceparent: string | undefined): {
  traceId: string;
  parentSpanId: string | null;
  traceFlags: number;
} {
  const parent = parseTraceparent(traceparent);
  return {
    traceId: parent?.traceId ?? randomTraceId(),
    parentSpanId: parent?.spanId ?? null,
    traceFlags: parent ? parent.traceFlags & 0xff : 0x01,
  };
}

/** One request's trace. */
export class RequestTrace {
  readonly traceId: string;
  /** The gateway's HTTP server span. */
  readonly spanId: string = randomSpanId();
  /** The caller's span, or null when the request started a new trace. */
  readonly parentSpanId: string | null;
  readonly traceFlags: number;
  /** The inbound `tracestate`, forwarded unchanged when valid. */
  readonly traceState: string | undefined;
  readonly startNs: bigint = nowNs();
  /** Set by auth: spans are stored only for a known project. */
  projectId: string | null = null;
  name: string;
  readonly attributes: Attributes = {};
  #status: SpanStatus = { code: 'UNSET' };
  readonly #children: ChildSpan[] = [];
  #holds = 0;
  #responded = false;
  #ended = false;

  /** Extracts the inbound context; an invalid or absent `traceparent` starts a new trace. */
  constructor(
    traceparent: string | undefined,
    tracestate: string | undefined,
    name: string,
    private readonly onEnd: TraceEndListener,
  ) {
    const inbound = inboundTrace(traceparent);
    this.name = name;
    this.traceId = inbound.traceId;
    this.parentSpanId = inbound.parentSpanId;
    this.traceFlags = inbound.traceFlags;
    const state =
      inbound.parentSpanId !== null && tracestate !== undefined
        ? parseTracestate(tracestate)
        : null;
    this.traceState = state && state.length > 0 ? tracestate?.trim() : undefined;
  }

  /** `traceparent` naming `spanId` in this trace, with the caller's flags. */
  traceparentFor(spanId: string): string {
    return formatTraceparent({ traceId: this.traceId, spanId, traceFlags: this.traceFlags });
  }

  /** The response `traceparent`: the gateway's HTTP span. */
  get traceparent(): string {
    return this.traceparentFor(this.spanId);
  }

  /** Records a span under this request (GenAI, tool call, client operation). */
  addSpan(span: ChildSpan): void {
    this.#children.push(span);
  }

  /** Marks the HTTP span as failed (5xx answer, stream cut, client gone). */
  fail(message: string): void {
    this.#status = { code: 'ERROR', message };
  }

  /** Keeps the HTTP span open until the returned release function is called (streams). */
  hold(): () => void {
    this.#holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds -= 1;
      this.#maybeEnd();
    };
  }

  /** The response went out with `status`; ends the span unless a stream holds it. */
  respond(status: number): void {
    this.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
    if (status >= 500 && this.#status.code !== 'ERROR') {
      this.#status = { code: 'ERROR' };
      this.attributes[ATTR_ERROR_TYPE] = String(status);
    }
    this.#responded = true;
    this.#maybeEnd();
  }

  #maybeEnd(): void {
    if (this.#ended || !this.#responded || this.#holds > 0) return;
    this.#ended = true;
    this.onEnd(this.projectId ? this.#records(this.projectId) : []);
  }

  #records(projectId: string): SpanRecord[] {
    const resource: SpanResource = {
      attributes: { [ATTR_SERVICE_NAME]: GATEWAY_SERVICE_NAME, [ATTR_PROJECT_ID]: projectId },
    };
    const records: SpanRecord[] = [
      this.#record(projectId, resource, {
        spanId: this.spanId,
        parentSpanId: this.parentSpanId,
        name: this.name,
        kind: 'SERVER',
        startTimeUnixNano: this.startNs,
        endTimeUnixNano: nowNs(),
        status: this.#status,
        attributes: this.attributes,
      }),
    ];
    for (const child of this.#children) records.push(this.#record(projectId, resource, child));
    return records;
  }

  /** One stored span: the request's common fields around `span` (a literal, no spreads). */
  #record(
    projectId: string,
    resource: SpanResource,
    span: Omit<ChildSpan, 'parentSpanId'> & { parentSpanId: string | null },
  ): SpanRecord {
    const record: SpanRecord = {
      projectId,
      traceId: this.traceId,
      resource,
      scope: GATEWAY_SCOPE,
      events: [],
      links: [],
      flags: this.traceFlags,
      source: 'gateway',
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: span.name,
      kind: span.kind,
      startTimeUnixNano: span.startTimeUnixNano,
      endTimeUnixNano: span.endTimeUnixNano,
      status: span.status,
      attributes: span.attributes,
    };
    if (this.traceState) record.traceState = this.traceState;
    return record;
  }
}
