/** `POST /v1/audio/speech`: OpenAI-format text-to-speech (binary answer relayed as it comes). */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { speechRequest } from '../wire/openai/media.ts';

const endpoint: GenAiEndpoint = {
  caller: 'audio_speech',
  kind: 'audio_speech',
  dialect: 'openai',
  scope: 'duration',
  read: (c) => readJsonRequest(c, speechRequest),
};

/** The speech handler. */
export function audioSpeech(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
