// The Anthropic SDK through the to11 gateway: `baseURL` is the gateway's origin (the SDK adds
// /v1/messages itself) and the to11 key rides in its own header.
//
//   TO11_API_KEY=to11_... ANTHROPIC_API_KEY=sk-ant-... node examples/anthropic-sdk.mjs
//
// Without ANTHROPIC_API_KEY it sends a placeholder key, which only the demo provider answers
// (`pnpm demo`: canned answers, real traces).
//
// TO11_GATEWAY_URL defaults to the local gateway, http://127.0.0.1:4000/v1.
import Anthropic from '@anthropic-ai/sdk';

const gatewayUrl = process.env.TO11_GATEWAY_URL ?? 'http://127.0.0.1:4000/v1';
if (!process.env.TO11_API_KEY) throw new Error('set TO11_API_KEY (printed by the first start)');

const anthropic = new Anthropic({
  baseURL: gatewayUrl.replace(/\/v1\/?$/, ''),
  apiKey: process.env.ANTHROPIC_API_KEY || 'no-provider-key-demo-mode',
  defaultHeaders: { 'x-to11-authorization': `Bearer ${process.env.TO11_API_KEY}` },
});
const model = process.env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-6';

const { data: message, response } = await anthropic.messages
  .create({
    model,
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
  })
  .withResponse();
const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
console.log(`answer: ${text}`);
console.log(`trace: ${response.headers.get('traceparent')?.split('-')[1]}`);

// Streaming: text deltas as they arrive.
const stream = anthropic.messages.stream({
  model,
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Count to five.' }],
});
const { response: streamResponse } = await stream.withResponse();
let streamed = '';
stream.on('text', (delta) => {
  streamed += delta;
});
await stream.finalMessage();
console.log(`streamed: ${streamed}`);
console.log(`trace: ${streamResponse.headers.get('traceparent')?.split('-')[1]}`);
