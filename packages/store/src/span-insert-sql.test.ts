import { describe, expect, it } from 'vitest';
import { copyText } from './span-insert-sql.ts';
import { jsonText, SPAN_COLUMNS } from './span-row.ts';

const row = (overrides: Record<number, string | null>) =>
  SPAN_COLUMNS.map((_, column) => (column in overrides ? (overrides[column] ?? null) : 'x'));

describe('copyText', () => {
  it('writes one tab-separated line per row with \\N for null', () => {
    const text = copyText([row({ 3: null }), row({})]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]?.split('\t')).toHaveLength(SPAN_COLUMNS.length);
    expect(lines[0]?.split('\t')[3]).toBe('\\N');
  });

  it('escapes backslashes, tabs and newlines in text and backslashes in JSON', () => {
    const attributes = SPAN_COLUMNS.findIndex(([name]) => name === 'attributes');
    const json = jsonText({ quote: 'a "b"\n' });
    const [line] = copyText([row({ 5: 'tab\there\nnew\\back', [attributes]: json })]).split('\n');
    const fields = line?.split('\t') ?? [];
    expect(fields[5]).toBe('tab\\there\\nnew\\\\back');
    expect(fields[attributes]).toBe(json.replaceAll('\\', '\\\\'));
  });
});

describe('jsonText', () => {
  it('replaces NUL characters and lone surrogates Postgres would refuse', () => {
    expect(JSON.parse(jsonText({ a: 'x\u0000y', b: 'z\uD800', c: '🚀' }))).toEqual({
      a: 'x\uFFFDy',
      b: 'z\uFFFD',
      c: '🚀',
    });
  });
});
