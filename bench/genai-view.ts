/**
 * GenAI view benchmark (issue "third-party spans"): CPU time per span of reading the store's
 * GenAI columns through trace-core's normalised view (`genAiView`, every convention table), beside
 * a baseline the write path pays for every span anyway: `JSON.stringify` of the same attributes
 * (the jsonb column's text). Same attributes, same process, same run.
 *
 *   pnpm exec tsx genai-view.ts [spans=200000] [rounds=5]
 */

import type { Attributes } from '@to11/trace-core';
import { genAiView } from '@to11/trace-core';

const SPANS = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);

/** Attribute sets as the writer sees them: a gateway GenAI span, an app HTTP span, libraries. */
const SHAPES: Record<string, Attributes> = {
  'gateway chat span': {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 11,
    'gen_ai.usage.output_tokens': 7,
    'gen_ai.usage.cost': 0.0000057,
    'gen_ai.response.id': 'chatcmpl-1',
    'gen_ai.response.finish_reasons': ['stop'],
    'server.address': 'api.openai.com',
    'server.port': 443,
    'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Say hello"}]}]',
  },
  'app http span': {
    'http.request.method': 'GET',
    'http.route': '/api/items/:id',
    'http.response.status_code': 200,
    'url.path': '/api/items/42',
    'server.address': 'example.com',
  },
  'vercel ai doGenerate': {
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.model.provider': 'openai.chat',
    'ai.model.id': 'gpt-4o-mini',
    'gen_ai.system': 'openai.chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'ai.usage.inputTokens': 11,
    'ai.usage.outputTokens': 7,
    'gen_ai.usage.input_tokens': 11,
    'gen_ai.usage.output_tokens': 7,
    'ai.telemetry.metadata.sessionId': 'sess-1',
  },
  'openinference llm': {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini-2024-07-18',
    'llm.system': 'openai',
    'llm.invocation_parameters': '{"model":"gpt-4o-mini"}',
    'llm.token_count.prompt': 11,
    'llm.token_count.completion': 7,
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'Say hello',
  },
};

function cpuMicros(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

let sink = 0;
console.log(`genai-view: ${SPANS} spans per shape, ${ROUNDS} rounds (median), CPU µs per span`);
for (const [name, attributes] of Object.entries(SHAPES)) {
  const view: number[] = [];
  const json: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    view.push(
      cpuMicros(() => {
        for (let i = 0; i < SPANS; i++) sink += genAiView(attributes).inputTokens ?? 0;
      }) / SPANS,
    );
    json.push(
      cpuMicros(() => {
        for (let i = 0; i < SPANS; i++) sink += JSON.stringify(attributes).length;
      }) / SPANS,
    );
  }
  const median = (values: number[]) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const v = median(view);
  const j = median(json);
  console.log(
    `${name.padEnd(22)} genAiView ${v.toFixed(3)} µs | JSON.stringify ${j.toFixed(3)} µs | view/json ${(v / j).toFixed(2)}×`,
  );
}
if (sink === -1) console.log(sink);
