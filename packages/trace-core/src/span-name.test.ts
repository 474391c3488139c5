import { describe, expect, it } from 'vitest';
import { genAiSpanName, toolCallSpanName } from './span-name.ts';

describe('span names', () => {
  it('names a GenAI span "{operation} {model}"', () => {
    expect(genAiSpanName('chat', 'gpt-4o')).toBe('chat gpt-4o');
    expect(genAiSpanName('embeddings', 'text-embedding-3-small')).toBe(
      'embeddings text-embedding-3-small',
    );
  });

  it('uses just the operation when there is no model', () => {
    expect(genAiSpanName('retrieval')).toBe('retrieval');
    expect(genAiSpanName('retrieval', null)).toBe('retrieval');
    expect(genAiSpanName('retrieval', '')).toBe('retrieval');
  });

  it('names a tool call span tool_call.<fn>', () => {
    expect(toolCallSpanName('geocode_city')).toBe('tool_call.geocode_city');
  });
});
