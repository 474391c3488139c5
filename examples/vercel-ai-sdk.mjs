// The Vercel AI SDK through the to11 gateway: both providers take the gateway as `baseURL` and
// the to11 key as an extra header. Provider keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY.
//
//   TO11_API_KEY=to11_... OPENAI_API_KEY=sk-... ANTHROPIC_API_KEY=sk-ant-... \
//     node examples/vercel-ai-sdk.mjs
//
// Without a provider key it sends a placeholder, which only the demo provider answers
// (`pnpm demo`: canned answers, real traces).
//
// TO11_GATEWAY_URL defaults to the local gateway, http://127.0.0.1:4000/v1.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';

const gatewayUrl = process.env.TO11_GATEWAY_URL ?? 'http://127.0.0.1:4000/v1';
if (!process.env.TO11_API_KEY) throw new Error('set TO11_API_KEY (printed by the first start)');
const headers = { 'x-to11-authorization': `Bearer ${process.env.TO11_API_KEY}` };

const placeholder = 'no-provider-key-demo-mode';
const openai = createOpenAI({
  baseURL: gatewayUrl,
  headers,
  apiKey: process.env.OPENAI_API_KEY || placeholder,
});
const anthropic = createAnthropic({
  baseURL: gatewayUrl,
  headers,
  apiKey: process.env.ANTHROPIC_API_KEY || placeholder,
});

// `openai.chat(...)` calls /v1/chat/completions; `openai(...)` would call /v1/responses, which
// the gateway serves too.
const answer = await generateText({
  model: openai.chat(process.env.OPENAI_MODEL ?? 'gpt-4o-mini'),
  prompt: 'Say hello in five words.',
});
console.log(`answer: ${answer.text}`);
console.log(`trace: ${answer.response.headers?.traceparent?.split('-')[1]}`);

const stream = streamText({
  model: anthropic(process.env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-6'),
  prompt: 'Count to five.',
});
let streamed = '';
for await (const delta of stream.textStream) streamed += delta;
console.log(`streamed: ${streamed}`);
console.log(`trace: ${(await stream.response).headers?.traceparent?.split('-')[1]}`);
