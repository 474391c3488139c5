import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import {
  type AnyValue,
  AnyValueSchema,
  type KeyValue,
  KeyValueSchema,
} from '../gen/opentelemetry/proto/common/v1/common_pb.ts';
import type { AttributeLimits } from '../otlp-attributes.ts';
import { isOtlpDecodeError, type OtlpDecodeError } from '../otlp-json.ts';
import type { Attributes, AttributeValue } from '../span-model.ts';
import { decodeRequestSpans } from './decode-spans.ts';

/**
 * The decoder's reading of one attribute list, sent as a span's attributes: the map, and what
 * the limits dropped (the span's `droppedAttributesCount`, none sent).
 */
function keyValuesToAttributes(
  list: KeyValue[],
  limits: AttributeLimits = {},
): { attributes: Attributes; dropped: number } | OtlpDecodeError {
  const request = create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: new Uint8Array(16).fill(1),
                spanId: new Uint8Array(8).fill(1),
                startTimeUnixNano: 1n,
                endTimeUnixNano: 1n,
                attributes: list,
              },
            ],
          },
        ],
      },
    ],
  });
  const result = decodeRequestSpans(request, { projectId: 'proj_attr', limits });
  if (isOtlpDecodeError(result)) return result;
  const [span] = result.spans;
  if (span === undefined) throw new Error('the test span was rejected');
  return { attributes: span.attributes, dropped: span.droppedAttributesCount ?? 0 };
}

/** The decoder's reading of one value, as the value of attribute `v`. */
function anyValueToJson(value: AnyValue): AttributeValue | undefined | OtlpDecodeError {
  const converted = keyValuesToAttributes([kv('v', value)]);
  return isOtlpDecodeError(converted) ? converted : converted.attributes.v;
}

/** The attribute map of a list that must decode. */
function attributesOf(list: KeyValue[], limits: AttributeLimits = {}) {
  const converted = keyValuesToAttributes(list, limits);
  if (isOtlpDecodeError(converted)) throw new Error(converted.error);
  return converted;
}

type Init = Parameters<typeof create<typeof AnyValueSchema>>[1];
const any = (init: Init): AnyValue => create(AnyValueSchema, init);
const str = (value: string) => any({ value: { case: 'stringValue', value } });
const int = (value: bigint) => any({ value: { case: 'intValue', value } });
const dbl = (value: number) => any({ value: { case: 'doubleValue', value } });
const kv = (key: string, value?: AnyValue): KeyValue => create(KeyValueSchema, { key, value });

describe('the span decoder on attribute values', () => {
  it.each<[string, AnyValue, unknown]>([
    ['a string', str('hello'), 'hello'],
    ['an empty string', str(''), ''],
    ['true', any({ value: { case: 'boolValue', value: true } }), true],
    ['false', any({ value: { case: 'boolValue', value: false } }), false],
    ['a small int', int(42n), 42],
    ['a negative int', int(-7n), -7],
    ['the largest safe int', int(9007199254740991n), 9007199254740991],
    ['the smallest safe int', int(-9007199254740991n), -9007199254740991],
    ['2^53 as a string', int(9007199254740992n), '9007199254740992'],
    ['int64 max as a string', int(9223372036854775807n), '9223372036854775807'],
    ['int64 min as a string', int(-9223372036854775808n), '-9223372036854775808'],
    ['a double', dbl(1.5), 1.5],
    ['NaN as a string', dbl(Number.NaN), 'NaN'],
    ['Infinity as a string', dbl(Number.POSITIVE_INFINITY), 'Infinity'],
    ['-Infinity as a string', dbl(Number.NEGATIVE_INFINITY), '-Infinity'],
    [
      'bytes as base64',
      any({ value: { case: 'bytesValue', value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) } }),
      '3q2+7w==',
    ],
    [
      'an array of mixed values',
      any({
        value: { case: 'arrayValue', value: { values: [str('a'), int(1n), dbl(2.5), any({})] } },
      }),
      ['a', 1, 2.5, null],
    ],
    [
      'a kvlist as an object, nested',
      any({
        value: {
          case: 'kvlistValue',
          value: {
            values: [
              kv('a', str('x')),
              kv(
                'b',
                any({ value: { case: 'kvlistValue', value: { values: [kv('c', int(3n))] } } }),
              ),
            ],
          },
        },
      }),
      { a: 'x', b: { c: 3 } },
    ],
    ['an empty value as null', any({}), null],
  ])('converts %s', (_name, value, expected) => {
    expect(anyValueToJson(value)).toEqual(expected);
  });

  it('keeps a kvlist key named __proto__ as an own property', () => {
    const value = any({
      value: { case: 'kvlistValue', value: { values: [kv('__proto__', str('x'))] } },
    });
    const json = anyValueToJson(value);
    expect(JSON.stringify(json)).toBe('{"__proto__":"x"}');
  });

  it('never stores values nested deeper than the limit (the request is refused)', () => {
    let value = str('leaf');
    for (let i = 0; i < 100; i++) {
      value = any({ value: { case: 'arrayValue', value: { values: [value] } } });
    }
    const json = anyValueToJson(value);
    expect(JSON.stringify(json)).not.toContain('leaf');
    expect(json).toEqual({ error: expect.stringMatching(/maximum recursion depth/) });
  });
});

describe('the span decoder on attribute lists', () => {
  it('builds a flat map and drops project.id', () => {
    expect(attributesOf([kv('a', str('1')), kv('project.id', str('evil'))])).toEqual({
      attributes: { a: '1' },
      dropped: 0,
    });
  });

  it('drops attributes over the count limit and counts them', () => {
    const list = [kv('a', str('1')), kv('b', str('2')), kv('c', str('3')), kv('d', str('4'))];
    expect(attributesOf(list, { maxAttributesPerSpan: 2 })).toEqual({
      attributes: { a: '1', b: '2' },
      dropped: 2,
    });
  });

  it('lets a repeated key overwrite without using up the limit', () => {
    const list = [kv('a', str('1')), kv('a', str('2')), kv('b', str('3'))];
    expect(attributesOf(list, { maxAttributesPerSpan: 2 })).toEqual({
      attributes: { a: '2', b: '3' },
      dropped: 0,
    });
  });

  it('truncates long strings, also inside arrays, without splitting surrogate pairs', () => {
    const array = any({ value: { case: 'arrayValue', value: { values: [str('abcdef')] } } });
    const list = [
      kv('s', str('abcdef')),
      kv('arr', array),
      kv('emoji', str('ab😀cd')),
      kv('n', int(123456n)),
    ];
    expect(attributesOf(list, { maxAttributeValueLength: 3 })).toEqual({
      attributes: { s: 'abc', arr: ['abc'], emoji: 'ab', n: 123456 },
      dropped: 0,
    });
  });

  it('turns an attribute without a value into null', () => {
    expect(attributesOf([kv('empty')]).attributes).toEqual({ empty: null });
  });
});
