/** `POST /v1/messages`: Anthropic Messages (any chat model, cross-format to OpenAI). */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { anthropicRequest } from '../wire/anthropic/messages.ts';

const endpoint: GenAiEndpoint = {
  caller: 'messages',
  kind: 'chat',
  dialect: 'anthropic',
  scope: 'all',
  read: (c) => readJsonRequest(c, anthropicRequest),
};

/** The messages handler. */
export function messages(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
