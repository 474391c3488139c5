import { describe, expect, it } from 'vitest';
import { embeddingsRequest, embeddingsResponse } from './embeddings.ts';
import {
  imageRequest,
  imageResponse,
  speechRequest,
  transcriptionRequest,
  transcriptionResponse,
} from './media.ts';

describe('OpenAI embeddings, images and audio', () => {
  const requests = [
    {
      name: 'embeddings: encoding format, dimensions and the input texts',
      got: embeddingsRequest(
        { input: ['a', '', 'b'], encoding_format: 'float', dimensions: 256, user: 'u' },
        'text-embedding-3-small',
      ),
      expected: {
        model: 'text-embedding-3-small',
        operation: 'embeddings',
        stream: false,
        attributes: {
          'gen_ai.request.encoding_formats': ['float'],
          'gen_ai.embeddings.dimension.count': 256,
        },
        input: [
          {
            role: 'user',
            parts: [
              { type: 'text', content: 'a' },
              { type: 'text', content: 'b' },
            ],
          },
        ],
        userId: 'u',
      },
    },
    {
      name: 'images: output type image and the choice count',
      got: imageRequest({ prompt: 'a fox', n: 3 }, 'gpt-image-1'),
      expected: {
        model: 'gpt-image-1',
        operation: 'image_generation',
        stream: false,
        attributes: { 'gen_ai.output.type': 'image', 'gen_ai.request.choice.count': 3 },
        input: [{ role: 'user', parts: [{ type: 'text', content: 'a fox' }] }],
        userId: undefined,
      },
    },
    {
      name: 'speech: output type speech and the input text',
      got: speechRequest({ input: 'Say hi', voice: 'alloy' }, 'tts-1'),
      expected: {
        model: 'tts-1',
        operation: 'audio_speech',
        stream: false,
        attributes: { 'gen_ai.output.type': 'speech' },
        input: [{ role: 'user', parts: [{ type: 'text', content: 'Say hi' }] }],
      },
    },
    {
      name: 'transcription: output type text, no audio captured',
      got: transcriptionRequest({ model: 'whisper-1', user: 'u-3' }),
      expected: {
        model: 'whisper-1',
        operation: 'audio_transcription',
        stream: false,
        attributes: { 'gen_ai.output.type': 'text' },
        userId: 'u-3',
      },
    },
  ];
  it.each(requests)('$name', ({ got, expected }) => {
    expect(got).toEqual(expected);
  });

  const responses = [
    {
      name: 'embeddings: total_tokens when prompt_tokens is absent',
      got: embeddingsResponse({ model: 'text-embedding-3-small', usage: { total_tokens: 11 } }),
      expected: {
        id: undefined,
        model: 'text-embedding-3-small',
        usage: { inputTokens: 11 },
        toolCalls: [],
      },
    },
    {
      name: 'images: revised prompts as output',
      got: imageResponse({ data: [{ revised_prompt: 'a red fox' }, { url: 'https://x' }] }),
      expected: {
        model: undefined,
        usage: {},
        toolCalls: [],
        output: [{ role: 'assistant', parts: [{ type: 'text', content: 'a red fox' }] }],
      },
    },
    {
      name: 'transcription: plain-text answer',
      got: transcriptionResponse('hello there'),
      expected: {
        usage: {},
        toolCalls: [],
        output: [{ role: 'assistant', parts: [{ type: 'text', content: 'hello there' }] }],
      },
    },
  ];
  it.each(responses)('$name', ({ got, expected }) => {
    expect(got).toEqual(expected);
  });
});
