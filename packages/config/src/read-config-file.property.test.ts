/**
 * Property tests of the to11.toml reader: any text gives a result (never a throw), every issue
 * names a key and a reason, and a valid document reads back as written.
 */
import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { hostileTomlDocument, validTomlDocument } from '../test/toml-arbitraries.ts';
import { parseConfigFile } from './read-config-file.ts';

function expectIssuesOrValue(text: string): void {
  const result = parseConfigFile(text, 'fuzz.toml');
  if (result.ok) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(issue.key).toBeTypeOf('string');
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

describe('parseConfigFile on hostile input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), expectIssuesOrValue), { numRuns: 1000 });
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'[]{}="\'.,\n\\ #a1-+:eE_'), maxLength: 80 }),
        expectIssuesOrValue,
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on documents of the right keys with values of any type', () => {
    fc.assert(
      fc.property(hostileTomlDocument, (doc) => expectIssuesOrValue(stringify(doc))),
      { numRuns: 1000 },
    );
  });

  it('reports a deeply nested document as an issue, not a stack overflow', () => {
    const depth = 20_000;
    expectIssuesOrValue(`x = ${'['.repeat(depth)}${']'.repeat(depth)}`);
    expectIssuesOrValue(`x = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}`);
  });
});

describe('valid documents round-trip', () => {
  it('read back as the object that was written', () => {
    fc.assert(
      fc.property(validTomlDocument, (doc) => {
        const result = parseConfigFile(stringify(doc), 'valid.toml');
        expect(result).toEqual({ ok: true, value: doc });
      }),
      { numRuns: 300 },
    );
  });
});
