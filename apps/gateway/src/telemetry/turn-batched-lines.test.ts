import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TurnBatchedLines } from './turn-batched-lines.ts';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatchedLines', () => {
  it('writes the lines of one event-loop turn in one write, in order, after the turn', async () => {
    const writes: string[] = [];
    const lines = new TurnBatchedLines({ write: (text) => writes.push(text) });
    lines.write('a\n');
    lines.write('b\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\n']);
    lines.write('c\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes pending lines at once on flush and calls its callback', () => {
    const writes: string[] = [];
    const lines = new TurnBatchedLines({ write: (text) => writes.push(text) });
    lines.write('a\n');
    let called = false;
    lines.flush(() => {
      called = true;
    });
    expect(writes).toEqual(['a\n']);
    expect(called).toBe(true);
    lines.flush();
    expect(writes).toEqual(['a\n']);
  });

  it('serves as a pino destination: one JSON line per log call', async () => {
    const writes: string[] = [];
    const logger = pino({ base: null }, new TurnBatchedLines({ write: (t) => writes.push(t) }));
    logger.info({ path: '/v1/chat/completions' }, 'request');
    logger.warn('second');
    await nextTurn();
    const parsed = (writes[0] ?? '')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(writes).toHaveLength(1);
    expect(parsed.map((line) => line.msg)).toEqual(['request', 'second']);
  });
});
