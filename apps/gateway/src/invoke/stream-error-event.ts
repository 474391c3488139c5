/**
 * The in-band SSE error event each caller's SDK raises on, sent when an upstream stream breaks
 * after the first byte (the status line is gone by then).
 */
import type { CallerFormat } from './exchange.ts';

/** SSE text that makes the caller's SDK raise an API error with `message`. */
export function streamErrorEvent(caller: CallerFormat, message: string): string {
  if (caller === 'messages') {
    const data = { type: 'error', error: { type: 'api_error', message } };
    return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
  }
  const error = { message, type: 'server_error', param: null, code: 'upstream' };
  if (caller === 'responses') {
    const data = { type: 'error', code: 'upstream', message, param: null, error };
    return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
  }
  return `data: ${JSON.stringify({ error })}\n\n`;
}
