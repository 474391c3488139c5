/**
 * OTLP/JSON to OTLP protobuf bytes, so a JSON body reaches the one span decoder
 * (`decode-spans.ts`) without building protobuf-es messages first (`fromJson` + `toBinary`
 * cost about twice the decode itself). It only transcodes: every rule about spans (ids,
 * times, limits, project binding) stays in the decoder.
 *
 * OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) is the proto3
 * JSON mapping with hex trace and span ids: field names in lowerCamelCase or the proto names,
 * enums as names or integers, 64-bit integers as strings or numbers, bytes as base64, unknown
 * fields ignored. A value of the wrong JSON type is an error naming its field.
 */
import { base64Decode } from '@bufbuild/protobuf/wire';
import { hexToBytes } from '../hex.ts';
import { WireWriter } from './wire-writer.ts';

type Json = Record<string, unknown>;

/** A body that is not OTLP/JSON: `message` names the offending field. */
export class OtlpJsonError extends Error {
  override readonly name = 'OtlpJsonError';
}

/** Stands in for an id that is not hex: one byte, so the span is rejected for its id. */
const INVALID_ID = new Uint8Array(1);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of a field under its JSON name or its proto name. */
function field(object: Json, json: string, proto: string): unknown {
  const value = object[json];
  return value === undefined || value === null ? (object[proto] ?? undefined) : value;
}

function list(object: Json, json: string, proto: string): unknown[] {
  const value = field(object, json, proto);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OtlpJsonError(`${json} must be an array`);
  return value;
}

function objectOf(value: unknown, name: string): Json {
  if (!isObject(value)) throw new OtlpJsonError(`${name} must be an object`);
  return value;
}

function stringOf(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new OtlpJsonError(`${name} must be a string`);
  return value;
}

/** A JSON integer (number or decimal string) within `max`, as a bigint. */
function integerOf(value: unknown, name: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) n = BigInt(value.trim());
  else throw new OtlpJsonError(`${name} must be an integer`);
  if (n < min || n > max) throw new OtlpJsonError(`${name} is out of range`);
  return n;
}

const UINT32_MAX = 0xffff_ffffn;
const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function enumOf(value: unknown, name: string, names: readonly string[]): number {
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index >= 0) return index;
  }
  return Number(integerOf(value, name, -(2n ** 31n), 2n ** 31n - 1n));
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Writes each present scalar field; `write` is called only when the field is set. */
function scalar(object: Json, json: string, proto: string, write: (value: unknown) => void): void {
  const value = field(object, json, proto);
  if (value !== undefined) write(value);
}

function string(w: WireWriter, no: number, object: Json, json: string, proto = json): void {
  scalar(object, json, proto, (v) => w.string(no, stringOf(v, json)));
}

function uint32(w: WireWriter, no: number, object: Json, json: string, proto: string): void {
  scalar(object, json, proto, (v) =>
    w.tag(no, 0).varint(Number(integerOf(v, json, 0n, UINT32_MAX))),
  );
}

function fixed64(w: WireWriter, no: number, object: Json, json: string, proto: string): void {
  scalar(object, json, proto, (v) => w.tag(no, 1).fixed64(integerOf(v, json, 0n, UINT64_MAX)));
}

function fixed32(w: WireWriter, no: number, object: Json, json: string, proto: string): void {
  scalar(object, json, proto, (v) =>
    w.tag(no, 5).fixed32(Number(integerOf(v, json, 0n, UINT32_MAX))),
  );
}

function id(w: WireWriter, no: number, object: Json, json: string, proto: string): void {
  scalar(object, json, proto, (v) => {
    const hex = stringOf(v, json);
    if (hex === '') return;
    w.bytes(no, hexToBytes(hex) ?? INVALID_ID);
  });
}

/** A nested message: `body` writes its fields inside it. */
function message(w: WireWriter, no: number, body: () => void): void {
  const start = w.open(no);
  body();
  w.close(start);
}

function anyValue(w: WireWriter, value: Json, depth: number): void {
  if (depth > 100) throw new OtlpJsonError('attribute values nest too deep');
  if ('stringValue' in value || 'string_value' in value) {
    string(w, 1, value, 'stringValue', 'string_value');
  } else if ('boolValue' in value || 'bool_value' in value) {
    const v = field(value, 'boolValue', 'bool_value');
    if (typeof v !== 'boolean') throw new OtlpJsonError('boolValue must be a boolean');
    w.tag(2, 0).varint(v ? 1 : 0);
  } else if ('intValue' in value || 'int_value' in value) {
    const v = field(value, 'intValue', 'int_value');
    w.tag(3, 0).varint64(integerOf(v, 'intValue', INT64_MIN, INT64_MAX));
  } else if ('doubleValue' in value || 'double_value' in value) {
    const v = field(value, 'doubleValue', 'double_value');
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number') throw new OtlpJsonError('doubleValue must be a number');
    w.tag(4, 1).double(n);
  } else if ('arrayValue' in value || 'array_value' in value) {
    const array = objectOf(field(value, 'arrayValue', 'array_value'), 'arrayValue');
    message(w, 5, () => {
      for (const item of list(array, 'values', 'values')) {
        message(w, 1, () => anyValue(w, objectOf(item, 'values[]'), depth + 1));
      }
    });
  } else if ('kvlistValue' in value || 'kvlist_value' in value) {
    const kvlist = objectOf(field(value, 'kvlistValue', 'kvlist_value'), 'kvlistValue');
    message(w, 6, () => keyValues(w, 1, list(kvlist, 'values', 'values'), depth + 1));
  } else if ('bytesValue' in value || 'bytes_value' in value) {
    const v = stringOf(field(value, 'bytesValue', 'bytes_value'), 'bytesValue');
    w.bytes(7, base64Decode(v));
  }
}

function keyValues(w: WireWriter, no: number, items: unknown[], depth = 0): void {
  for (const item of items) {
    const kv = objectOf(item, 'attributes[]');
    message(w, no, () => {
      string(w, 1, kv, 'key');
      const value = field(kv, 'value', 'value');
      if (value !== undefined) message(w, 2, () => anyValue(w, objectOf(value, 'value'), depth));
    });
  }
}

function attributes(w: WireWriter, no: number, object: Json): void {
  keyValues(w, no, list(object, 'attributes', 'attributes'));
}

function event(w: WireWriter, e: Json): void {
  fixed64(w, 1, e, 'timeUnixNano', 'time_unix_nano');
  string(w, 2, e, 'name');
  attributes(w, 3, e);
  uint32(w, 4, e, 'droppedAttributesCount', 'dropped_attributes_count');
}

function link(w: WireWriter, l: Json): void {
  id(w, 1, l, 'traceId', 'trace_id');
  id(w, 2, l, 'spanId', 'span_id');
  string(w, 3, l, 'traceState', 'trace_state');
  attributes(w, 4, l);
  uint32(w, 5, l, 'droppedAttributesCount', 'dropped_attributes_count');
  fixed32(w, 6, l, 'flags', 'flags');
}

function span(w: WireWriter, s: Json): void {
  id(w, 1, s, 'traceId', 'trace_id');
  id(w, 2, s, 'spanId', 'span_id');
  string(w, 3, s, 'traceState', 'trace_state');
  id(w, 4, s, 'parentSpanId', 'parent_span_id');
  string(w, 5, s, 'name');
  scalar(s, 'kind', 'kind', (v) => w.tag(6, 0).varint64(BigInt(enumOf(v, 'kind', SPAN_KINDS))));
  fixed64(w, 7, s, 'startTimeUnixNano', 'start_time_unix_nano');
  fixed64(w, 8, s, 'endTimeUnixNano', 'end_time_unix_nano');
  attributes(w, 9, s);
  uint32(w, 10, s, 'droppedAttributesCount', 'dropped_attributes_count');
  for (const e of list(s, 'events', 'events'))
    message(w, 11, () => event(w, objectOf(e, 'events[]')));
  uint32(w, 12, s, 'droppedEventsCount', 'dropped_events_count');
  for (const l of list(s, 'links', 'links')) message(w, 13, () => link(w, objectOf(l, 'links[]')));
  uint32(w, 14, s, 'droppedLinksCount', 'dropped_links_count');
  scalar(s, 'status', 'status', (v) => {
    const status = objectOf(v, 'status');
    message(w, 15, () => {
      string(w, 2, status, 'message');
      scalar(status, 'code', 'code', (c) =>
        w.tag(3, 0).varint64(BigInt(enumOf(c, 'status.code', STATUS_CODES))),
      );
    });
  });
  fixed32(w, 16, s, 'flags', 'flags');
}

function scopeSpans(w: WireWriter, ss: Json): void {
  scalar(ss, 'scope', 'scope', (v) => {
    const scope = objectOf(v, 'scope');
    message(w, 1, () => {
      string(w, 1, scope, 'name');
      string(w, 2, scope, 'version');
      attributes(w, 3, scope);
      uint32(w, 4, scope, 'droppedAttributesCount', 'dropped_attributes_count');
    });
  });
  for (const s of list(ss, 'spans', 'spans')) message(w, 2, () => span(w, objectOf(s, 'spans[]')));
  string(w, 3, ss, 'schemaUrl', 'schema_url');
}

function resourceSpans(w: WireWriter, rs: Json): void {
  scalar(rs, 'resource', 'resource', (v) => {
    const resource = objectOf(v, 'resource');
    message(w, 1, () => {
      attributes(w, 1, resource);
      uint32(w, 2, resource, 'droppedAttributesCount', 'dropped_attributes_count');
    });
  });
  for (const ss of list(rs, 'scopeSpans', 'scope_spans')) {
    message(w, 2, () => scopeSpans(w, objectOf(ss, 'scopeSpans[]')));
  }
  string(w, 3, rs, 'schemaUrl', 'schema_url');
}

/** The protobuf bytes of a parsed OTLP/JSON `ExportTraceServiceRequest`; throws OtlpJsonError. */
export function otlpJsonToWire(request: unknown): Uint8Array {
  const body = objectOf(request, 'the body');
  const w = new WireWriter();
  for (const rs of list(body, 'resourceSpans', 'resource_spans')) {
    message(w, 1, () => resourceSpans(w, objectOf(rs, 'resourceSpans[]')));
  }
  return w.finish();
}
