/** `POST /v1/audio/transcriptions`: multipart, forwarded as received. */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type GenAiEndpoint, invokeGenAi } from '../invoke/invoke-genai.ts';
import { readMultipartRequest } from '../invoke/read-request.ts';
import { transcriptionRequest } from '../wire/openai/media.ts';

const endpoint: GenAiEndpoint = {
  caller: 'audio_transcription',
  kind: 'audio_transcription',
  dialect: 'openai',
  scope: 'duration',
  read: (c) =>
    readMultipartRequest(c, (form, model) => {
      const user = form.get('user');
      return transcriptionRequest({
        model,
        user: typeof user === 'string' && user ? user : undefined,
      });
    }),
};

/** The transcription handler. */
export function audioTranscriptions(deps: AppDeps): Handler<AppEnv> {
  return (c) => invokeGenAi(c, deps, endpoint);
}
