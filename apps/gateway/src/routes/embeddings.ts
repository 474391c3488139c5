/** `POST /v1/embeddings`: OpenAI-format embeddings. */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { embeddingsRequest } from '../wire/openai/embeddings.ts';

const endpoint: GenAiEndpoint = {
  caller: 'embeddings',
  kind: 'embeddings',
  dialect: 'openai',
  scope: 'duration_and_tokens',
  read: (c) => readJsonRequest(c, embeddingsRequest),
};

/** The embeddings handler. */
export function embeddings(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
