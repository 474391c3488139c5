/** `POST /v1/images/generations`: OpenAI-format image generation. */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { imageRequest } from '../wire/openai/media.ts';

const endpoint: GenAiEndpoint = {
  caller: 'image_generation',
  kind: 'image_generation',
  dialect: 'openai',
  scope: 'duration',
  read: (c) => readJsonRequest(c, imageRequest),
};

/** The image generation handler. */
export function imageGenerations(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
