import { describe, expect, it, vi } from 'vitest';
import { createGatewayLogger } from './logger.ts';

describe('createGatewayLogger', () => {
  it('writes the JSON lines of one event-loop turn to stdout in one write', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const logger = createGatewayLogger('info');
      logger.info({ path: '/v1/chat/completions' }, 'request');
      logger.info({ path: '/v1/messages' }, 'request');
      expect(writes).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      spy.mockRestore();
    }
    expect(writes).toHaveLength(1);
    const lines = (writes[0] ?? '')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { service: string; path: string; msg: string });
    expect(lines.map((line) => [line.service, line.path, line.msg])).toEqual([
      ['to11-gateway', '/v1/chat/completions', 'request'],
      ['to11-gateway', '/v1/messages', 'request'],
    ]);
  });
});
