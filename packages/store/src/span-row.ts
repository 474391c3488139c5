/**
 * A `SpanRecord` as one row of column texts, in `SPAN_COLUMNS` order: the single encoding both
 * write paths use (COPY text on Postgres, unnest of text arrays on PGlite). jsonb columns are
 * JSON text; bigints are decimal text; null is SQL NULL.
 */
import type { SpanRecord } from '@to11/trace-core';
import { StoreInputError } from './errors.ts';
import { genAiColumns } from './genai-columns.ts';

/** SQL type of a spans column, for casts. */
export type SpanColumnType = 'text' | 'bigint' | 'integer' | 'jsonb' | 'double precision';

/** Every column of `spans`, in table order (drizzle/0001_spans.sql). */
export const SPAN_COLUMNS: ReadonlyArray<readonly [name: string, type: SpanColumnType]> = [
  ['project_id', 'text'],
  ['trace_id', 'text'],
  ['span_id', 'text'],
  ['parent_span_id', 'text'],
  ['trace_state', 'text'],
  ['name', 'text'],
  ['kind', 'text'],
  ['start_time_unix_nano', 'bigint'],
  ['end_time_unix_nano', 'bigint'],
  ['status_code', 'text'],
  ['status', 'jsonb'],
  ['attributes', 'jsonb'],
  ['resource', 'jsonb'],
  ['scope', 'jsonb'],
  ['events', 'jsonb'],
  ['links', 'jsonb'],
  ['flags', 'integer'],
  ['dropped_attributes_count', 'integer'],
  ['dropped_events_count', 'integer'],
  ['dropped_links_count', 'integer'],
  ['source', 'text'],
  ['operation', 'text'],
  ['provider', 'text'],
  ['request_model', 'text'],
  ['response_model', 'text'],
  ['input_tokens', 'integer'],
  ['output_tokens', 'integer'],
  ['cost', 'double precision'],
  ['session_id', 'text'],
];

/** One span as column texts (null = SQL NULL). */
export type SpanTextRow = (string | null)[];

/** Largest nanosecond time a bigint column holds. */
export const MAX_UNIX_NANO = 2n ** 63n - 1n;

// Postgres text and jsonb refuse NUL characters and unpaired surrogates; replace them rather
// than fail a whole batch over one odd attribute.
const BAD_JSON_ESCAPE = /\\u0000|\\ud[89a-f]/i;

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what Postgres refuses.
const SUSPECT_CHAR = /[\u0000\uD800-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what Postgres refuses.
const BAD_CHAR = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(value: string): string {
  return SUSPECT_CHAR.test(value) ? value.replace(BAD_CHAR, '\uFFFD') : value;
}

function cleaner(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? cleanString(value) : value;
}

/** JSON text Postgres accepts as jsonb. */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify writes \u escapes only for control characters and lone surrogates.
  return text.includes('\\u') && BAD_JSON_ESCAPE.test(text) ? JSON.stringify(value, cleaner) : text;
}

function optionalText(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : cleanString(value);
}

function optionalInt(value: number | undefined): string | null {
  return value === undefined ? null : String(value);
}

function checkTime(value: bigint, what: string): string {
  if (value < 0n || value > MAX_UNIX_NANO) {
    throw new StoreInputError(`span ${what} ${value} is outside 0..2^63-1 nanoseconds`);
  }
  return value.toString();
}

/**
 * JSON of a value many spans share by reference: the resource and the scope of one OTLP
 * `ResourceSpans` / `ScopeSpans` are one object for all their spans, encoded once.
 */
const sharedJson = new WeakMap<object, string>();

function sharedJsonText(value: object): string {
  let text = sharedJson.get(value);
  if (text === undefined) {
    text = jsonText(value);
    sharedJson.set(value, text);
  }
  return text;
}

const EMPTY_LIST_JSON = '[]';
const PLAIN_STATUS_JSON = {
  UNSET: '{"code":"UNSET"}',
  OK: '{"code":"OK"}',
  ERROR: '{"code":"ERROR"}',
} as const;

function statusText(status: SpanRecord['status']): string {
  return status.message === undefined ? PLAIN_STATUS_JSON[status.code] : jsonText(status);
}

function eventsText(events: SpanRecord['events']): string {
  if (events.length === 0) return EMPTY_LIST_JSON;
  return jsonText(
    events.map((event) => ({ ...event, timeUnixNano: event.timeUnixNano.toString() })),
  );
}

function linksText(links: SpanRecord['links']): string {
  return links.length === 0 ? EMPTY_LIST_JSON : jsonText(links);
}

/** Encodes one span; throws `StoreInputError` for times a bigint column cannot hold. */
export function toSpanTextRow(span: SpanRecord): SpanTextRow {
  const genAi = genAiColumns(span.attributes);
  return [
    span.projectId,
    span.traceId,
    span.spanId,
    span.parentSpanId,
    optionalText(span.traceState),
    cleanString(span.name),
    span.kind,
    checkTime(span.startTimeUnixNano, 'start'),
    checkTime(span.endTimeUnixNano, 'end'),
    span.status.code,
    statusText(span.status),
    jsonText(span.attributes),
    sharedJsonText(span.resource),
    span.scope === undefined ? null : sharedJsonText(span.scope),
    eventsText(span.events),
    linksText(span.links),
    optionalInt(span.flags),
    optionalInt(span.droppedAttributesCount),
    optionalInt(span.droppedEventsCount),
    optionalInt(span.droppedLinksCount),
    span.source,
    optionalText(genAi.operation),
    optionalText(genAi.provider),
    optionalText(genAi.requestModel),
    optionalText(genAi.responseModel),
    optionalInt(genAi.inputTokens ?? undefined),
    optionalInt(genAi.outputTokens ?? undefined),
    genAi.cost === null ? null : String(genAi.cost),
    optionalText(genAi.sessionId),
  ];
}
