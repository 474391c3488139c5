import { describe, expect, it } from 'vitest';
import { matchingAttributes } from './attribute-search.ts';

describe('matchingAttributes', () => {
  const attributes = {
    'gen_ai.request.model': 'gpt-4o-mini',
    'http.response.status_code': 200,
    'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Weather?"}]}]',
  };

  it('keeps every attribute, sorted by key, for an empty query', () => {
    expect(matchingAttributes(attributes, ' ').map(([key]) => key)).toEqual([
      'gen_ai.input.messages',
      'gen_ai.request.model',
      'http.response.status_code',
    ]);
  });

  it('matches keys and values (numbers and JSON text too), ignoring case', () => {
    expect(matchingAttributes(attributes, 'MODEL').map(([key]) => key)).toEqual([
      'gen_ai.request.model',
    ]);
    expect(matchingAttributes(attributes, 'weather').map(([key]) => key)).toEqual([
      'gen_ai.input.messages',
    ]);
    expect(matchingAttributes(attributes, '200').map(([key]) => key)).toEqual([
      'http.response.status_code',
    ]);
    expect(matchingAttributes(attributes, 'nothing-like-this')).toEqual([]);
  });
});
