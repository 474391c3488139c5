import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from './traceparent.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parseTraceparent accepts valid headers', () => {
  const cases: [string, string, { traceFlags: number; sampled: boolean; version?: string }][] = [
    ['the spec example with the sampled flag', VALID, { traceFlags: 1, sampled: true }],
    [
      'the spec example without the sampled flag',
      `00-${TRACE_ID}-${SPAN_ID}-00`,
      { traceFlags: 0, sampled: false },
    ],
    [
      'unknown flag bits, keeping them',
      `00-${TRACE_ID}-${SPAN_ID}-ff`,
      { traceFlags: 255, sampled: true },
    ],
    ['surrounding spaces (HTTP OWS)', `  ${VALID} `, { traceFlags: 1, sampled: true }],
    ['surrounding tabs (HTTP OWS)', `\t${VALID}\t`, { traceFlags: 1, sampled: true }],
    [
      'a future version with exactly four fields',
      `01-${TRACE_ID}-${SPAN_ID}-01`,
      { traceFlags: 1, sampled: true, version: '01' },
    ],
    [
      'a future version with trailing data after a dash',
      `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`,
      { traceFlags: 1, sampled: true, version: 'cc' },
    ],
    [
      'a future version with a lone trailing dash',
      `fe-${TRACE_ID}-${SPAN_ID}-00-`,
      { traceFlags: 0, sampled: false, version: 'fe' },
    ],
  ];
  it.each(cases)('accepts %s', (_name, header, expected) => {
    expect(parseTraceparent(header)).toEqual({
      version: expected.version ?? '00',
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: expected.traceFlags,
      sampled: expected.sampled,
    });
  });
});

describe('parseTraceparent rejects invalid headers', () => {
  const cases: [string, string | null | undefined][] = [
    ['an absent header (undefined)', undefined],
    ['an absent header (null)', null],
    ['an empty header', ''],
    ['a blank header', '   '],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['an uppercase version', `0A-${TRACE_ID}-${SPAN_ID}-01`],
    ['a one-character version', `0-${TRACE_ID}-${SPAN_ID}-01`],
    ['a three-character version', `000-${TRACE_ID}-${SPAN_ID}-01`],
    ['a non-hex version', `0g-${TRACE_ID}-${SPAN_ID}-01`],
    ['an uppercase trace id', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['an uppercase span id', `00-${TRACE_ID}-00F067AA0BA902B7-01`],
    ['uppercase flags', `00-${TRACE_ID}-${SPAN_ID}-0A`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a long trace id', `00-${TRACE_ID}a-${SPAN_ID}-01`],
    ['a short span id', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
    ['a long span id', `00-${TRACE_ID}-${SPAN_ID}a-01`],
    ['one-character flags', `00-${TRACE_ID}-${SPAN_ID}-1`],
    ['three-character flags', `00-${TRACE_ID}-${SPAN_ID}-011`],
    ['non-hex trace id', `00-${TRACE_ID.slice(1)}g-${SPAN_ID}-01`],
    ['non-hex span id', `00-${TRACE_ID}-${SPAN_ID.slice(1)}z-01`],
    ['non-hex flags', `00-${TRACE_ID}-${SPAN_ID}-0x`],
    ['version 00 with trailing data', `${VALID}-extra`],
    ['version 00 with a trailing dash', `${VALID}-`],
    ['version 00 with trailing characters', `${VALID}00`],
    ['a future version followed by data without a dash', `01-${TRACE_ID}-${SPAN_ID}-01x`],
    ['a future version that is too short', `01-${TRACE_ID}-${SPAN_ID}-1`],
    ['an extra dash between fields', `00--${TRACE_ID}-${SPAN_ID}-01`],
    ['a missing field', `00-${TRACE_ID}-01`],
    ['underscores instead of dashes', `00_${TRACE_ID}_${SPAN_ID}_01`],
    ['a leading newline (not OWS)', `\n${VALID}`],
    ['a non-breaking space (not OWS)', `\u00a0${VALID}`],
    ['inner whitespace', `00- ${TRACE_ID}-${SPAN_ID}-01`],
    ['two comma-joined headers', `${VALID},${VALID}`],
  ];
  it.each(cases)('rejects %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 with two-digit lowercase flags', () => {
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 })).toBe(VALID);
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0x0a })).toBe(
      `00-${TRACE_ID}-${SPAN_ID}-0a`,
    );
  });

  it('downgrades a parsed future version to version 00', () => {
    const ctx = parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01-future`);
    expect(ctx).not.toBeNull();
    if (ctx) expect(formatTraceparent(ctx)).toBe(VALID);
  });
});

const hexId = (length: number) =>
  fc
    .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length })
    .filter((id) => !/^0+$/.test(id));

describe('traceparent properties', () => {
  it('parses what it formats, for any valid ids and flags', () => {
    fc.assert(
      fc.property(hexId(32), hexId(16), fc.integer({ min: 0, max: 255 }), (t, s, flags) => {
        const header = formatTraceparent({ traceId: t, spanId: s, traceFlags: flags });
        expect(header).toHaveLength(55);
        expect(parseTraceparent(header)).toEqual({
          version: '00',
          traceId: t,
          spanId: s,
          traceFlags: flags,
          sampled: (flags & 1) === 1,
        });
      }),
    );
  });

  it('formats what it parses back to the same header', () => {
    fc.assert(
      fc.property(hexId(32), hexId(16), fc.integer({ min: 0, max: 255 }), (t, s, flags) => {
        const header = `00-${t}-${s}-${flags.toString(16).padStart(2, '0')}`;
        const ctx = parseTraceparent(header);
        expect(ctx && formatTraceparent(ctx)).toBe(header);
      }),
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        parseTraceparent(value);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        parseTraceparent(value);
      }),
    );
  });

  it('never throws and only returns valid contexts for near-miss headers', () => {
    const nearMiss = fc
      .tuple(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF- \t'), maxLength: 70 }),
        fc.constantFrom('', '-', ' ', 'x'),
      )
      .map(([body, tail]) => body + tail);
    fc.assert(
      fc.property(nearMiss, (value) => {
        const ctx = parseTraceparent(value);
        if (ctx) {
          expect(ctx.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(ctx.spanId).toMatch(/^[0-9a-f]{16}$/);
          expect(ctx.version).not.toBe('ff');
        }
      }),
    );
  });

  it('rejects every input that is not a string without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        if (typeof value !== 'string') {
          expect(parseTraceparent(value as unknown as string)).toBeNull();
        }
      }),
    );
  });
});
