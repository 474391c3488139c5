/**
 * Default answers of the fake provider, in each wire format: a short text answer, or a tool
 * call when the request offers tools; streamed when asked. Usage includes cached tokens so
 * cache attributes can be checked.
 */
import type { ServerResponse } from 'node:http';
import { fakeEmbeddings } from './fake-embeddings.ts';
import { type ReceivedRequest, sendJson, sseEvent, startSse } from './fake-provider.ts';

/** The text every default answer gives. */
export const ANSWER = 'Hello there';

function hasTools(json: Record<string, unknown> | null): boolean {
  return Array.isArray(json?.tools) && json.tools.length > 0;
}

function chatCompletion(request: ReceivedRequest, response: ServerResponse): void {
  const json = request.json ?? {};
  const model = `${String(json.model)}-2024-08-06`;
  const tool = hasTools(json);
  if (json.stream === true) {
    const usage = (json.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model };
    startSse(response);
    sseEvent(response, {
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    if (tool) {
      const call = {
        index: 0,
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      };
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { tool_calls: [call] }, finish_reason: null }],
      });
      for (const piece of ['{"city":', '"Paris"}']) {
        const delta = { tool_calls: [{ index: 0, function: { arguments: piece } }] };
        sseEvent(response, { ...base, choices: [{ index: 0, delta, finish_reason: null }] });
      }
    } else {
      for (const piece of ['Hello', ' there']) {
        sseEvent(response, {
          ...base,
          choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
        });
      }
    }
    sseEvent(response, {
      ...base,
      choices: [{ index: 0, delta: {}, finish_reason: tool ? 'tool_calls' : 'stop' }],
    });
    if (usage) {
      const totals = {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
      };
      sseEvent(response, { ...base, choices: [], usage: totals });
    }
    sseEvent(response, '[DONE]');
    response.end();
    return;
  }
  const message = tool
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      }
    : { role: 'assistant', content: ANSWER };
  sendJson(
    response,
    200,
    {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: tool ? 'tool_calls' : 'stop' }],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    },
    { 'x-request-id': 'req_upstream_1' },
  );
}

function anthropicMessage(request: ReceivedRequest, response: ServerResponse): void {
  const json = request.json ?? {};
  const model = `${String(json.model)}-20250101`;
  const tool = hasTools(json);
  const usage = {
    input_tokens: 10,
    cache_read_input_tokens: 5,
    cache_creation_input_tokens: 2,
    output_tokens: 3,
  };
  if (json.stream === true) {
    startSse(response);
    const start = {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    };
    sseEvent(response, { type: 'message_start', message: start }, 'message_start');
    if (tool) {
      const block = { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} };
      sseEvent(
        response,
        { type: 'content_block_start', index: 0, content_block: block },
        'content_block_start',
      );
      for (const piece of ['{"city":', ' "Paris"}']) {
        sseEvent(
          response,
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'input_json_delta', partial_json: piece },
          },
          'content_block_delta',
        );
      }
    } else {
      sseEvent(
        response,
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        'content_block_start',
      );
      for (const piece of ['Hello', ' there']) {
        sseEvent(
          response,
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } },
          'content_block_delta',
        );
      }
    }
    sseEvent(response, { type: 'content_block_stop', index: 0 }, 'content_block_stop');
    const delta = { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null };
    sseEvent(
      response,
      { type: 'message_delta', delta, usage: { output_tokens: 3 } },
      'message_delta',
    );
    sseEvent(response, { type: 'message_stop' }, 'message_stop');
    response.end();
    return;
  }
  const content = tool
    ? [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]
    : [{ type: 'text', text: ANSWER }];
  sendJson(
    response,
    200,
    {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: tool ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage,
    },
    { 'request-id': 'req_upstream_2' },
  );
}

function responsesApi(request: ReceivedRequest, response: ServerResponse): void {
  const json = request.json ?? {};
  const model = `${String(json.model)}-2025`;
  const final = {
    id: 'resp_fake',
    object: 'response',
    created_at: 1,
    status: 'completed',
    model,
    output: [
      {
        type: 'message',
        id: 'msg_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: ANSWER, annotations: [] }],
      },
    ],
    usage: {
      input_tokens: 9,
      output_tokens: 2,
      total_tokens: 11,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
  };
  if (json.stream === true) {
    startSse(response);
    let seq = 0;
    const send = (type: string, data: Record<string, unknown>): void =>
      sseEvent(response, { type, sequence_number: seq++, ...data }, type);
    send('response.created', {
      response: { ...final, status: 'in_progress', output: [], usage: null },
    });
    for (const piece of ['Hello', ' there']) {
      send('response.output_text.delta', {
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: piece,
      });
    }
    send('response.completed', { response: final });
    response.end();
    return;
  }
  sendJson(response, 200, final);
}

/** Routes a request to the default answer of its endpoint. */
export function defaultProvider(request: ReceivedRequest, response: ServerResponse): void {
  const json = request.json ?? {};
  switch (request.path) {
    case '/v1/chat/completions':
      chatCompletion(request, response);
      return;
    case '/v1/messages':
      anthropicMessage(request, response);
      return;
    case '/v1/messages/count_tokens':
      sendJson(response, 200, { input_tokens: 14 });
      return;
    case '/v1/responses':
      responsesApi(request, response);
      return;
    case '/v1/embeddings':
      sendJson(response, 200, {
        object: 'list',
        data: fakeEmbeddings(json),
        model: String(json.model),
        usage: { prompt_tokens: 5, total_tokens: 5 },
      });
      return;
    case '/v1/images/generations':
      sendJson(response, 200, {
        created: 1,
        data: [
          { url: 'https://example.invalid/cat.png', revised_prompt: 'A fluffy cat, watercolor' },
        ],
      });
      return;
    case '/v1/audio/speech':
      response.writeHead(200, { 'content-type': 'audio/mpeg' });
      response.end(Buffer.from([0x49, 0x44, 0x33, 1, 2, 3, 4]));
      return;
    case '/v1/audio/transcriptions':
      sendJson(response, 200, { text: 'hello from the audio' });
      return;
    default:
      sendJson(response, 404, {
        error: { message: `no route ${request.path}`, type: 'invalid_request_error' },
      });
      return;
  }
}
