import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTracestate, parseTracestate } from './tracestate.ts';

const members = (count: number) => Array.from({ length: count }, (_, i) => `k${i}=v${i}`);

describe('parseTracestate accepts valid headers', () => {
  const cases: [string, string, [string, string][]][] = [
    ['the spec example', 'rojo=00f067aa0ba902b7', [['rojo', '00f067aa0ba902b7']]],
    [
      'two members in order',
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      [
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ],
    ],
    [
      'OWS around commas and at the edges',
      ' a=1 ,\tb=2\t, c=3 ',
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ],
    ],
    [
      'empty list-members, skipped',
      ',a=1,, ,\t,b=2,',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    ['an empty header', '', []],
    ['a blank header', '  \t ', []],
    ['a multi-tenant key', 'fw529a3039@dt=foo', [['fw529a3039@dt', 'foo']]],
    ['a tenant id starting with a digit', '1tenant@sys=x', [['1tenant@sys', 'x']]],
    ['every allowed key character', 'a0_-*/=x', [['a0_-*/', 'x']]],
    ['a 256-character simple key', `${'a'.repeat(256)}=x`, [['a'.repeat(256), 'x']]],
    [
      'a 241-character tenant and a 14-character system',
      `${'t'.repeat(241)}@${'s'.repeat(14)}=x`,
      [[`${'t'.repeat(241)}@${'s'.repeat(14)}`, 'x']],
    ],
    ['a 256-character value', `k=${'v'.repeat(256)}`, [['k', 'v'.repeat(256)]]],
    ['a value with inner spaces', 'k=a b  c', [['k', 'a b  c']]],
    ['a value starting with a space (chr allows 0x20)', 'k= 1', [['k', ' 1']]],
    [
      'a value of every allowed character',
      `k=${allowedValueChars()}`,
      [['k', allowedValueChars()]],
    ],
  ];
  it.each(cases)('accepts %s', (_name, header, expected) => {
    expect(parseTracestate(header)).toEqual(expected.map(([key, value]) => ({ key, value })));
  });

  it('accepts exactly 32 members', () => {
    expect(parseTracestate(members(32).join(','))).toHaveLength(32);
  });

  it('does not count empty members towards the limit', () => {
    expect(parseTracestate(`${members(32).join(',')},,`)).toHaveLength(32);
  });
});

function allowedValueChars(): string {
  let out = '';
  for (let c = 0x21; c <= 0x7e; c++) {
    if (c !== 0x2c && c !== 0x3d) out += String.fromCharCode(c);
  }
  return out;
}

describe('parseTracestate rejects invalid headers as a whole', () => {
  const cases: [string, string | null | undefined][] = [
    ['an absent header (undefined)', undefined],
    ['an absent header (null)', null],
    ['33 members', members(33).join(',')],
    ['a duplicate key', 'a=1,b=2,a=3'],
    ['a member without =', 'a=1,b'],
    ['a member with an empty key', '=1'],
    ['a member with an empty value', 'a='],
    ['an uppercase key', 'Rojo=1'],
    ['a key starting with a digit', '1abc=1'],
    ['a key starting with an underscore', '_abc=1'],
    ['a key with a disallowed character', 'a.b=1'],
    ['a 257-character simple key', `${'a'.repeat(257)}=x`],
    ['a 242-character tenant id', `${'t'.repeat(242)}@sys=x`],
    ['a 15-character system id', `t@${'s'.repeat(15)}=x`],
    ['a system id starting with a digit', 't@1sys=x'],
    ['an empty tenant id', '@sys=x'],
    ['an empty system id', 'tenant@=x'],
    ['two @ in a key', 'a@b@c=x'],
    ['a 257-character value', `k=${'v'.repeat(257)}`],
    ['a value with =', 'k=a=b'],
    ['a key with a space inside', 'a b=1'],
    ['a value with a tab inside', 'k=a\tb'],
    ['a value with a control character', 'k=a\u0001b'],
    ['a value with a non-ASCII character', 'k=caf\u00e9'],
    ['a value with DEL', 'k=a\u007fb'],
    ['a space between key and =', 'k =1'],
    ['a valid member followed by an invalid one', 'rojo=00f067aa0ba902b7,BAD=1'],
  ];
  it.each(cases)('rejects %s', (_name, header) => {
    expect(parseTracestate(header)).toBeNull();
  });
});

describe('formatTracestate', () => {
  it('joins members with commas and no whitespace', () => {
    expect(
      formatTracestate([
        { key: 'rojo', value: '00f067aa0ba902b7' },
        { key: 'congo', value: 't61rcWkgMzE' },
      ]),
    ).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('writes an empty string for no members', () => {
    expect(formatTracestate([])).toBe('');
  });
});

const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-*/');
const simpleKey = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
    fc.string({ unit: keyChar, maxLength: 20 }),
  )
  .map(([first, rest]) => first + rest);
const valueChar = fc.constantFrom(...` ${allowedValueChars()}`);
const value = fc
  .tuple(fc.string({ unit: valueChar, maxLength: 30 }), fc.constantFrom(...allowedValueChars()))
  .map(([body, last]) => body + last);
const entries = fc.uniqueArray(fc.record({ key: simpleKey, value }), {
  selector: (entry) => entry.key,
  maxLength: 32,
});

describe('tracestate properties', () => {
  it('parses what it formats, for any valid member list', () => {
    fc.assert(
      fc.property(entries, (list) => {
        expect(parseTracestate(formatTracestate(list))).toEqual(list);
      }),
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        parseTracestate(header);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (header) => {
        parseTracestate(header);
      }),
    );
  });

  it('never accepts more than 32 members or a duplicate key', () => {
    const header = fc.string({
      unit: fc.constantFrom('a', 'b', '=', ',', ' ', '1'),
      maxLength: 200,
    });
    fc.assert(
      fc.property(header, (h) => {
        const parsed = parseTracestate(h);
        if (parsed) {
          expect(parsed.length).toBeLessThanOrEqual(32);
          expect(new Set(parsed.map((e) => e.key)).size).toBe(parsed.length);
        }
      }),
    );
  });
});
