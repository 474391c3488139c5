import { describe, expect, it } from 'vitest';
import { MemorySemanticStore, similarity, unitVector } from './semantic-store.ts';
import { semanticParts } from './semantic-text.ts';

function unit(values: number[]): Float32Array {
  const vector = unitVector(values);
  if (!vector) throw new Error('zero vector');
  return vector;
}

describe('semanticParts', () => {
  const body = {
    model: 'gpt-4o',
    temperature: 0,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] },
    ],
  };

  it('embeds the last user message and keeps the rest exact (scope last_message)', () => {
    const parts = semanticParts('chat_completions', body, 'last_message');
    expect(parts?.text).toBe('Capital of France?');
    expect(parts?.partition).toEqual({
      model: 'gpt-4o',
      temperature: 0,
      messages: [{ role: 'system', content: 'Be brief.' }, { semantic: true }],
    });
  });

  it('embeds every message and the system prompt (scope conversation)', () => {
    const anthropic = { model: 'claude', system: 'Be brief.', messages: [body.messages[1]] };
    const parts = semanticParts('messages', anthropic, 'conversation');
    expect(parts).toEqual({
      text: 'system: Be brief.\nuser: Capital of France?',
      partition: { model: 'claude' },
    });
    expect(semanticParts('responses', { model: 'm', input: 'hi' }, 'last_message')?.text).toBe(
      'hi',
    );
  });

  it('refuses images, tool calls, a last message not from the user, and other endpoints', () => {
    const image = { type: 'image_url', image_url: { url: 'https://x.invalid/a.png' } };
    const cases = [
      { model: 'm', messages: [{ role: 'user', content: [image] }] },
      {
        model: 'm',
        messages: [{ role: 'assistant', content: 'x', tool_calls: [] }, body.messages[1]],
      },
      { model: 'm', messages: [{ role: 'tool', content: '1' }, body.messages[1]] },
      { model: 'm', messages: [body.messages[1], { role: 'assistant', content: 'Paris' }] },
      { model: 'm', messages: [] },
    ];
    for (const bad of cases)
      expect(semanticParts('chat_completions', bad, 'conversation')).toBeNull();
    expect(semanticParts('embeddings', { model: 'm', input: 'x' }, 'last_message')).toBeNull();
  });
});

describe('MemorySemanticStore', () => {
  it('serves the most similar entry above the threshold, within its partition and TTL', async () => {
    let now = 0;
    const store = new MemorySemanticStore(10, 10_000, () => now);
    await store.add('p', unit([1, 0, 0]), 'x-axis', 1_000);
    await store.add('p', unit([1, 1, 0]), 'diagonal', 1_000);
    expect(await store.find('p', unit([1, 0.9, 0]), 0.9)).toMatchObject({ value: 'diagonal' });
    expect(await store.find('p', unit([0, 0, 1]), 0.9)).toBeNull();
    expect(await store.find('other', unit([1, 0, 0]), 0.9)).toBeNull();
    expect(await store.find('p', unit([1, 0]), 0.1)).toBeNull();
    now = 1_000;
    expect(await store.find('p', unit([1, 0, 0]), 0.9)).toBeNull();
  });

  it('keeps at most max entries, the oldest partitions going first', async () => {
    const store = new MemorySemanticStore(2, 10_000, () => 0);
    await store.add('a', unit([1, 0]), 'a', 1_000);
    await store.add('b', unit([1, 0]), 'b', 1_000);
    await store.add('c', unit([1, 0]), 'c', 1_000);
    expect(store.size).toBe(2);
    expect(await store.find('a', unit([1, 0]), 0.5)).toBeNull();
    expect(await store.find('c', unit([1, 0]), 0.5)).toMatchObject({ value: 'c', similarity: 1 });
    expect(similarity(unit([3, 4]), unit([4, 3]))).toBeCloseTo(0.96, 5);
    expect(unitVector([0, 0])).toBeNull();
  });
});
