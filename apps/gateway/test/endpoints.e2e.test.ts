import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sdkClients, spanNamed, startHarness, traceIdOf } from './harness.ts';

describe.each(testEngines())('other endpoints on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    h = await startHarness(engine);
    ({ openai, anthropic } = sdkClients(h));
  });
  afterAll(async () => {
    await h.close();
  });

  it('records embeddings with input text but never the vectors', async () => {
    const { data, response } = await openai.embeddings
      .create({
        model: 'text-embedding-3-small',
        input: ['first text', 'second text'],
        dimensions: 3,
      })
      .withResponse();
    expect(data.data[0]?.embedding).toHaveLength(3);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'embeddings text-embedding-3-small');
    expect(genai.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.embeddings.dimension.count': 3,
      'gen_ai.request.encoding_formats': ['base64'],
    });
    expect(String(genai.attributes['gen_ai.input.messages'])).toContain('second text');
    expect(genai.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(genai.attributes['gen_ai.server.time_to_first_token']).toBeUndefined();
  });

  it('records image generation with the prompt in and the revised prompt out', async () => {
    const { response } = await openai.images
      .generate({ model: 'dall-e-3', prompt: 'a cat', n: 1 })
      .withResponse();
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'image_generation dall-e-3');
    expect(genai.attributes['gen_ai.output.type']).toBe('image');
    expect(String(genai.attributes['gen_ai.input.messages'])).toContain('a cat');
    expect(String(genai.attributes['gen_ai.output.messages'])).toContain(
      'A fluffy cat, watercolor',
    );
  });

  it('relays speech audio and records the input text only', async () => {
    const { data, response } = await openai.audio.speech
      .create({ model: 'tts-1', voice: 'alloy', input: 'Read this aloud' })
      .withResponse();
    expect(Buffer.from(await data.arrayBuffer())).toEqual(
      Buffer.from([0x49, 0x44, 0x33, 1, 2, 3, 4]),
    );
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'audio_speech tts-1');
    expect(genai.attributes['gen_ai.output.type']).toBe('speech');
    expect(String(genai.attributes['gen_ai.input.messages'])).toContain('Read this aloud');
    expect(genai.attributes['gen_ai.output.messages']).toBeUndefined();
  });

  it('forwards a transcription multipart body as-is and records the text out', async () => {
    const audio = Buffer.from('RIFF-fake-wave-bytes');
    const { data, response } = await openai.audio.transcriptions
      .create({ model: 'whisper-1', file: await toFile(audio, 'a.wav', { type: 'audio/wav' }) })
      .withResponse();
    expect(data.text).toBe('hello from the audio');
    const upstream = h.fake.requests.at(-1);
    expect(upstream?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upstream?.body.includes(audio)).toBe(true);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'audio_transcription whisper-1');
    expect(String(genai.attributes['gen_ai.output.messages'])).toContain('hello from the audio');
    expect(genai.attributes['gen_ai.input.messages']).toBeUndefined();
  });

  it('counts tokens and lists models without a GenAI span', async () => {
    const counted = await anthropic.messages
      .countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(counted.data.input_tokens).toBe(14);
    const countSpans = await h.spans(traceIdOf(counted.response.headers.get('traceparent')), 1);
    expect(countSpans.map((span) => span.name)).toEqual(['POST /v1/messages/count_tokens']);
    const listed = await openai.models.list().withResponse();
    expect(listed.data.data.map((model) => model.id)).toContain('gpt-4o');
    const listSpans = await h.spans(traceIdOf(listed.response.headers.get('traceparent')), 1);
    expect(listSpans.map((span) => span.name)).toEqual(['GET /v1/models']);
  });

  it('answers /health and exposes the GenAI metrics', async () => {
    await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect((await fetch(`${h.gateway.url}/health`)).status).toBe(200);
    const text = await (await fetch(`${h.gateway.url}/metrics`)).text();
    expect(text).toContain('# TYPE gen_ai_client_operation_duration_seconds histogram');
    expect(text).toMatch(
      /gen_ai_client_token_usage_bucket\{[^}]*gen_ai_token_type="input"[^}]*le="16"\}/,
    );
    expect(text).toMatch(
      /gen_ai_client_finish_reasons_total\{[^}]*gen_ai_response_finish_reason="stop"/,
    );
    expect(text).toMatch(
      /gen_ai_server_time_to_first_token_seconds_count\{[^}]*gen_ai_request_model="gpt-4o"/,
    );
    expect(text).toContain('gen_ai_server_request_duration_seconds_bucket');
    expect(text).toContain('gen_ai_server_time_per_output_token_seconds_bucket');
    expect(text).toMatch(/^to11_span_buffer_size \d+$/m);
    expect(text).toMatch(/^to11_spans_dropped_total 0$/m);
    expect(text).toMatch(/^to11_store_write_errors_total 0$/m);
  });
});
