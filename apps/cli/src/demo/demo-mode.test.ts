import { describe, expect, it } from 'vitest';
import { demoRequested, startDemo } from './demo-mode.ts';

describe('demo mode', () => {
  it('is asked for by --demo or a true TO11_DEMO, and by nothing else', () => {
    expect(demoRequested({}, ['--demo'])).toBe(true);
    for (const value of ['1', 'true', 'YES', ' on ']) {
      expect(demoRequested({ TO11_DEMO: value }, []), value).toBe(true);
    }
    for (const value of [undefined, '', '0', 'false', 'off']) {
      expect(demoRequested({ TO11_DEMO: value }, ['--help']), String(value)).toBe(false);
    }
  });

  it('points both built-in providers at a demo provider that answers on loopback', async () => {
    const { env, provider } = await startDemo({
      TO11_OPENAI_BASE_URL: 'https://x.test/v1',
      A: 'b',
    });
    try {
      expect(env).toEqual({
        A: 'b',
        TO11_OPENAI_BASE_URL: provider.baseUrl,
        TO11_ANTHROPIC_BASE_URL: provider.baseUrl,
      });
      expect(provider.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const unknown = await fetch(`${provider.baseUrl}/models`);
      expect(unknown.status).toBe(404);
      const answer = await fetch(`${provider.baseUrl}/embeddings`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', input: 'hello' }),
      });
      const body = (await answer.json()) as { data: { embedding: number[] }[] };
      const [vector = []] = body.data.map((item) => item.embedding);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    } finally {
      await provider.close();
    }
  });
});
