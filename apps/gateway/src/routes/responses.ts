/** `POST /v1/responses`: the OpenAI Responses API (OpenAI-format providers). */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { responsesRequest } from '../wire/openai/responses.ts';

const endpoint: GenAiEndpoint = {
  caller: 'responses',
  kind: 'chat',
  dialect: 'openai',
  scope: 'all',
  read: (c) => readJsonRequest(c, responsesRequest),
};

/** The responses handler. */
export function responses(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
