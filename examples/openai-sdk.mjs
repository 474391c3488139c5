// The OpenAI SDK through the to11 gateway: point `baseURL` at the gateway and add your to11 key.
// Every call becomes a GenAI span; no tracing code, no OpenTelemetry SDK.
//
//   TO11_API_KEY=to11_... OPENAI_API_KEY=sk-... node examples/openai-sdk.mjs
//
// Without OPENAI_API_KEY it sends a placeholder key, which only the demo provider answers
// (`pnpm demo`: canned answers, real traces).
//
// TO11_GATEWAY_URL defaults to the local gateway, http://127.0.0.1:4000/v1.
import OpenAI from 'openai';

const gatewayUrl = process.env.TO11_GATEWAY_URL ?? 'http://127.0.0.1:4000/v1';
if (!process.env.TO11_API_KEY) throw new Error('set TO11_API_KEY (printed by the first start)');

// The provider key travels as usual (OPENAI_API_KEY); the to11 key in its own header.
const openai = new OpenAI({
  baseURL: gatewayUrl,
  apiKey: process.env.OPENAI_API_KEY || 'no-provider-key-demo-mode',
  defaultHeaders: { 'x-to11-authorization': `Bearer ${process.env.TO11_API_KEY}` },
});
const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';

// One call. The gateway answers with a `traceparent` header: its trace id finds the call's spans.
const { data: completion, response } = await openai.chat.completions
  .create({ model, messages: [{ role: 'user', content: 'Say hello in five words.' }] })
  .withResponse();
console.log(`answer: ${completion.choices[0]?.message.content}`);
console.log(`trace: ${response.headers.get('traceparent')?.split('-')[1]}`);

// A streamed call: chunks arrive as the provider sends them.
const { data: stream, response: streamResponse } = await openai.chat.completions
  .create({ model, messages: [{ role: 'user', content: 'Count to five.' }], stream: true })
  .withResponse();
let streamed = '';
for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
console.log(`streamed: ${streamed}`);
console.log(`trace: ${streamResponse.headers.get('traceparent')?.split('-')[1]}`);
