/**
 * OpenAI: Bearer auth, the OpenAI wire format for every endpoint kind.
 * Model patterns of SPEC §4: gpt-*, o[0-9]*, chatgpt-*, text-embedding-*, dall-e-*,
 * gpt-image-*, tts-*, whisper-*.
 */
import type { ProviderAdapter, UpstreamEndpoint } from '../types.ts';

const MODEL_PATTERN = /^(?:gpt-|o[0-9]|chatgpt-|text-embedding-|dall-e-|gpt-image-|tts-|whisper-)/;

/** Endpoint paths of the OpenAI API, shared by every OpenAI-compatible provider. */
export const OPENAI_PATHS: Readonly<Record<UpstreamEndpoint, string | null>> = {
  chat_completions: '/chat/completions',
  messages: null,
  count_tokens: null,
  responses: '/responses',
  embeddings: '/embeddings',
  image_generation: '/images/generations',
  audio_speech: '/audio/speech',
  audio_transcription: '/audio/transcriptions',
};

/** The OpenAI adapter. */
export const openai: ProviderAdapter = {
  format: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  authType: 'bearer',
  authHeaderName: 'authorization',
  requiredHeaders: {},
  servesModel: (model) => MODEL_PATTERN.test(model),
  endpointPath: (endpoint) => OPENAI_PATHS[endpoint],
};
