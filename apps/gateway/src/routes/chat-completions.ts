/** `POST /v1/chat/completions`: OpenAI Chat Completions (any chat model, cross-format to Claude). */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { openaiChatRequest } from '../wire/openai/chat.ts';

const endpoint: GenAiEndpoint = {
  caller: 'chat_completions',
  kind: 'chat',
  dialect: 'openai',
  scope: 'all',
  read: (c) => readJsonRequest(c, openaiChatRequest),
};

/** The chat completions handler. */
export function chatCompletions(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
