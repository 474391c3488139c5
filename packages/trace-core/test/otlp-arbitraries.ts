/**
 * fast-check arbitraries of OTLP/JSON bodies, for the property tests of the decoders and
 * `bench/fuzz.ts`: well-formed requests (hex ids, every AnyValue type, int64 as strings) and
 * hostile ones (the field names OTLP uses, values of any JSON type, deep AnyValue nesting, huge
 * arrays, numbers out of range). Test-only: nothing in the package's runtime imports it.
 */
import fc from 'fast-check';

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
/** A hex id that is not all zeros. */
const id = (length: number) => hex(length).filter((value) => /[1-9a-f]/.test(value));

const anyValue: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{
  value: Record<string, unknown>;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 20 }).map((stringValue) => ({ stringValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ intValue: String(v) })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((doubleValue) => ({ doubleValue })),
    fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc
      .array(fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), value: tie('value') }), {
        maxLength: 3,
      })
      .map((values) => ({ kvlistValue: { values } })),
  ),
})).value;

const attributes = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 12 }), value: anyValue }),
  { maxLength: 5, selector: (attribute) => attribute.key },
);

const wellFormedSpan = fc
  .record({
    traceId: id(32),
    spanId: id(16),
    parentSpanId: fc.option(id(16), { nil: undefined }),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    kind: fc.integer({ min: 0, max: 5 }),
    start: fc.bigInt({ min: 1n, max: 2n ** 62n }),
    duration: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    attributes,
    status: fc.record({
      code: fc.integer({ min: 0, max: 2 }),
      message: fc.string({ maxLength: 20 }),
    }),
  })
  .map(({ start, duration, parentSpanId, ...span }) => ({
    ...span,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + duration),
  }));

/** A well-formed OTLP/JSON request object. */
export const wellFormedOtlpRequest = fc
  .record({
    resourceAttributes: attributes,
    scopeName: fc.string({ maxLength: 10 }),
    spans: fc.array(wellFormedSpan, { minLength: 1, maxLength: 4 }),
  })
  .map(({ resourceAttributes, scopeName, spans }) => ({
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [{ scope: { name: scopeName }, spans }],
      },
    ],
  }));

const OTLP_KEYS = [
  'resourceSpans',
  'resource_spans',
  'resource',
  'scopeSpans',
  'scope_spans',
  'scope',
  'spans',
  'attributes',
  'key',
  'value',
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
  'values',
  'traceId',
  'spanId',
  'parentSpanId',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'events',
  'links',
  'status',
  'code',
  'message',
  'droppedAttributesCount',
  'traceState',
  'flags',
] as const;

const hostileLeaf = fc.oneof(
  fc.string({ maxLength: 10 }),
  hex(32),
  hex(16),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('18446744073709551616', '-9223372036854775809', '1e400', 1e308, -1, 2 ** 64),
  fc.constantFrom('SPAN_KIND_SERVER', 'STATUS_CODE_ERROR', 'SPAN_KIND_NOPE', '%%%', 'AA=='),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileLeaf,
    fc.dictionary(fc.constantFrom(...OTLP_KEYS), tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

/** An attribute value nested `depth` levels deep in arrayValue / kvlistValue. */
export function nestedAnyValue(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i++) {
    value =
      i % 2 === 0
        ? { arrayValue: { values: [value] } }
        : { kvlistValue: { values: [{ key: 'k', value }] } };
  }
  return value;
}

/** An OTLP/JSON body with one resource attribute nested `depth` levels deep (built as text). */
export function deeplyNestedOtlpText(depth: number): string {
  const open = '{"arrayValue":{"values":['.repeat(depth);
  const close = ']}}'.repeat(depth);
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":${open}{"stringValue":"x"}${close}}]}}]}`;
}

/** An OTLP/JSON body: a hostile structure, a well-formed request with hostile pieces, or both. */
export const hostileOtlpText: fc.Arbitrary<string> = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...OTLP_KEYS), hostileValue, { maxKeys: 4 })
    .map((v) => JSON.stringify(v)),
  fc
    .tuple(wellFormedOtlpRequest, hostileValue, fc.constantFrom(...OTLP_KEYS))
    .map(([request, value, key]) => {
      const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0] as Record<string, unknown>;
      span[key] = value;
      return JSON.stringify(request);
    }),
  fc.tuple(wellFormedOtlpRequest, fc.integer({ min: 1, max: 300 })).map(([request, depth]) => {
    const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0] as Record<string, unknown>;
    span.attributes = [{ key: 'deep', value: nestedAnyValue(depth) }];
    return JSON.stringify(request);
  }),
);

/** OTLP/JSON hex ids as the proto3 JSON mapping's base64 (what protobuf-es `fromJson` reads). */
export function toProto3Ids(request: unknown): never {
  return JSON.parse(JSON.stringify(request), (key, value) =>
    ['traceId', 'spanId', 'parentSpanId'].includes(key) && typeof value === 'string'
      ? Buffer.from(value, 'hex').toString('base64')
      : value,
  ) as never;
}
