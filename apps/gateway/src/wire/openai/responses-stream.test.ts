import { describe, expect, it } from 'vitest';
import { replayEverySplit, replayWhole } from '../../../test/sse-replay.ts';
import { ResponsesStreamAccumulator } from './responses-stream.ts';

const event = (type: string, data: object): string =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

const COMPLETED = {
  id: 'resp_5',
  model: 'gpt-4.1',
  status: 'completed',
  output: [
    { type: 'message', content: [{ type: 'output_text', text: 'Ça va ✓' }] },
    { type: 'function_call', call_id: 'fc_5', name: 'note', arguments: '{"n":1}' },
  ],
  usage: { input_tokens: 7, output_tokens: 6 },
};

const RECORDED = [
  event('response.created', { response: { ...COMPLETED, status: 'in_progress', output: [] } }),
  event('response.output_text.delta', { delta: 'Ça ' }),
  event('response.output_text.delta', { delta: 'va ✓' }),
  event('response.output_item.added', {
    item: { type: 'function_call', call_id: 'fc_5', name: 'note', arguments: '' },
  }),
  event('response.function_call_arguments.delta', { delta: '{"n":1}' }),
  event('response.output_item.done', {
    item: { type: 'function_call', call_id: 'fc_5', name: 'note', arguments: '{"n":1}' },
  }),
  event('response.completed', { response: COMPLETED }),
].join('');

describe('ResponsesStreamAccumulator', () => {
  it('takes the terminal response object as the result', () => {
    const whole = replayWhole(RECORDED, { accumulator: new ResponsesStreamAccumulator() });
    expect(whole.outcome).toBe('complete');
    expect(whole.result).toEqual({
      id: 'resp_5',
      model: 'gpt-4.1',
      finishReasons: ['tool_calls'],
      usage: { inputTokens: 7, outputTokens: 6 },
      output: [
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'Ça va ✓' },
            { type: 'tool_call', id: 'fc_5', name: 'note', arguments: { n: 1 } },
          ],
          finish_reason: 'tool_calls',
        },
      ],
      toolCalls: [{ id: 'fc_5', name: 'note', arguments: '{"n":1}' }],
    });
  });

  it('gives the same result whatever byte boundary splits the stream', () => {
    const { differing } = replayEverySplit(RECORDED, () => ({
      accumulator: new ResponsesStreamAccumulator(),
    }));
    expect(differing).toEqual([]);
  });

  it('keeps the streamed text of a stream cut before its terminal event', () => {
    const cut = RECORDED.slice(0, RECORDED.indexOf('event: response.output_item.added'));
    const whole = replayWhole(cut, { accumulator: new ResponsesStreamAccumulator() });
    expect(whole.outcome).toBe('cut');
    expect(whole.result.output).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Ça va ✓' }] },
    ]);
  });

  it('reports response.failed as an upstream error', () => {
    const failed = event('response.failed', {
      response: { status: 'failed', error: { message: 'server had an error' } },
    });
    const whole = replayWhole(failed, { accumulator: new ResponsesStreamAccumulator() });
    expect(whole.outcome).toBe('upstream_error');
    expect(whole.result.finishReasons).toEqual(['error']);
  });
});
