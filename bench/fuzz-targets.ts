/**
 * The targets of `fuzz.ts`: one fast-check property per parser, over the arbitraries of the
 * property tests plus hostile extras (zip bombs, deep nesting, huge attribute arrays, invalid
 * UTF-8, numbers out of range, CR/LF in header values, URLs as model names). A property throws
 * (or returns false) on a finding; `runTarget` runs it in seeded chunks and times every case.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { validateHeaderValue } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fromJson, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { readBody } from '../apps/collector/src/otlp-http/read-body.ts';
import { loadGatewayConfig } from '../apps/gateway/src/config.ts';
import { responseHeaders, upstreamHeaders } from '../apps/gateway/src/invoke/upstream-headers.ts';
import { upstreamUrl } from '../apps/gateway/src/invoke/upstream-url.ts';
import { RoutePlan } from '../apps/gateway/src/routing/route-plan.ts';
import { clientContext } from '../apps/gateway/src/telemetry/client-context.ts';
import {
  anthropicRequest,
  anthropicResponse,
} from '../apps/gateway/src/wire/anthropic/messages.ts';
import { AnthropicStreamAccumulator } from '../apps/gateway/src/wire/anthropic/stream.ts';
import { anthropicToChatRequest } from '../apps/gateway/src/wire/cross/anthropic-to-chat-request.ts';
import {
  AnthropicToChatStream,
  anthropicToChatResponse,
} from '../apps/gateway/src/wire/cross/anthropic-to-chat-response.ts';
import { chatToAnthropicRequest } from '../apps/gateway/src/wire/cross/chat-to-anthropic-request.ts';
import {
  ChatToAnthropicStream,
  chatToAnthropicResponse,
} from '../apps/gateway/src/wire/cross/chat-to-anthropic-response.ts';
import type { JsonObject } from '../apps/gateway/src/wire/json-fields.ts';
import { openaiChatRequest, openaiChatResponse } from '../apps/gateway/src/wire/openai/chat.ts';
import { OpenAIChatStreamAccumulator } from '../apps/gateway/src/wire/openai/chat-stream.ts';
import {
  embeddingsRequest,
  embeddingsResponse,
} from '../apps/gateway/src/wire/openai/embeddings.ts';
import {
  imageRequest,
  imageResponse,
  speechRequest,
} from '../apps/gateway/src/wire/openai/media.ts';
import { responsesRequest, responsesResponse } from '../apps/gateway/src/wire/openai/responses.ts';
import { ResponsesStreamAccumulator } from '../apps/gateway/src/wire/openai/responses-stream.ts';
import {
  hostileEvent,
  splitAt,
  sseBody,
  wireObject,
} from '../apps/gateway/test/hostile-arbitraries.ts';
import { type ReplaySetup, replay } from '../apps/gateway/test/sse-replay.ts';
import { ConfigError } from '../packages/config/src/config-error.ts';
import { parseConfigFile } from '../packages/config/src/read-config-file.ts';
import { ENDPOINT_KINDS } from '../packages/config/src/toml-schema.ts';
import { hostileTomlText } from '../packages/config/test/toml-arbitraries.ts';
import { ExportTraceServiceRequestSchema } from '../packages/trace-core/src/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { decodeSpans } from '../packages/trace-core/src/otlp/decode-spans.ts';
import {
  isOtlpDecodeError,
  otlpJsonToProtobuf,
  parseOtlpJsonRequest,
} from '../packages/trace-core/src/otlp-json.ts';
import { formatTraceparent, parseTraceparent } from '../packages/trace-core/src/traceparent.ts';
import { formatTracestate, parseTracestate } from '../packages/trace-core/src/tracestate.ts';
import {
  deeplyNestedOtlpText,
  hostileOtlpText,
  toProto3Ids,
  wellFormedOtlpRequest,
} from '../packages/trace-core/test/otlp-arbitraries.ts';

/** What one target gave. */
export interface FuzzReport {
  target: string;
  cases: number;
  seconds: number;
  /** The longest single case, in milliseconds (the per-case time bound observed). */
  maxCaseMs: number;
  findings: string[];
}

/** One fuzz target: a name, its share of the cases, and its property. */
interface Target {
  name: string;
  weight: number;
  /** Cases per seeded chunk (smaller for slow targets, so progress is reported often). */
  chunk: number;
  property: (timed: <T>(run: () => T) => T) => fc.IProperty<never> | fc.IAsyncProperty<never>;
}

const DECODE = {
  projectId: 'proj_fuzz',
  limits: { maxAttributesPerSpan: 128, maxAttributeValueLength: 65_536 },
};

// ---- traceparent / tracestate -------------------------------------------------------------

const hex = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max });
const junk = fc.constantFrom('', ' ', '\t', '\r\n', '\n', '\0', '-', '--', 'é', '\uFFFD', 'x');
const traceparentText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .tuple(hex(2), hex(31, 33), hex(15, 17), hex(1, 3), junk, junk, fc.constantFrom('-', '_', ''))
    .map(([v, t, s, f, a, b, sep]) => `${a}${v}${sep}${t}-${s}-${f}${b}`),
  fc
    .tuple(hex(32), hex(16), fc.constantFrom('00', '01', 'cc', 'fe', 'ff'), junk)
    .map(([t, s, v, tail]) => `${v}-${t.toLowerCase()}-${s.toLowerCase()}-01${tail}`),
);

function isHeaderValue(value: string): boolean {
  try {
    validateHeaderValue('x-fuzz', value);
    return true;
  } catch {
    return false;
  }
}

const tracestateKey = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcz09_-*/@'), minLength: 1, maxLength: 20 }),
  fc.string({ maxLength: 6 }),
);
const tracestateValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abc=, \t~!\r\n\0é'), maxLength: 30 }),
  fc.string({ maxLength: 10 }),
);
const tracestateText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc
    .array(fc.tuple(tracestateKey, tracestateValue, fc.constantFrom(',', ' , ', ',,', '\t,')), {
      maxLength: 40,
    })
    .map((members) => members.map(([k, v, sep]) => `${k}=${v}${sep}`).join('')),
);

// ---- OTLP ---------------------------------------------------------------------------------

function decodeJsonText(text: string): void {
  const bytes = otlpJsonToProtobuf(text);
  const result = isOtlpDecodeError(bytes) ? bytes : decodeSpans(bytes, DECODE);
  if (isOtlpDecodeError(result) && !/^invalid /.test(result.error)) {
    throw new Error(`decode error without a clear message: ${result.error}`);
  }
  const message = parseOtlpJsonRequest(text);
  if (!isOtlpDecodeError(message)) {
    decodeSpans(toBinary(ExportTraceServiceRequestSchema, message), DECODE);
  }
}

/** A span with `count` attributes, or one attribute with an array of `count` values. */
function hugeAttributesText(count: number, asArray: boolean): string {
  const values = Array.from({ length: count }, (_, i) => ({ intValue: String(i) }));
  const attributes = asArray
    ? [{ key: 'big', value: { arrayValue: { values } } }]
    : values.map((value, i) => ({ key: `k${i}`, value }));
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                name: 'huge',
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                attributes,
              },
            ],
          },
        ],
      },
    ],
  });
}

const otlpJsonText = fc.oneof(
  { weight: 100, arbitrary: hostileOtlpText },
  // Invalid UTF-8 in the body: the route decodes bytes as UTF-8, replacing bad sequences.
  {
    weight: 20,
    arbitrary: fc
      .tuple(wellFormedOtlpRequest, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat())
      .map(([request, bad, at]) => {
        const bytes = Buffer.from(JSON.stringify(request));
        const cut = at % bytes.length;
        return Buffer.concat([
          bytes.subarray(0, cut),
          Buffer.from(bad),
          bytes.subarray(cut),
        ]).toString('utf8');
      }),
  },
  {
    weight: 10,
    arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('utf8')),
  },
  // Numbers out of range where OTLP wants int64 / fixed64 / enums.
  {
    weight: 20,
    arbitrary: fc
      .tuple(
        wellFormedOtlpRequest,
        fc.constantFrom(
          'startTimeUnixNano',
          'endTimeUnixNano',
          'kind',
          'droppedAttributesCount',
          'flags',
        ),
        fc.constantFrom<unknown>(
          '18446744073709551616',
          '-1',
          '1e400',
          1e308,
          -1,
          2 ** 64,
          'NaN',
          '0x10',
          ' 1',
          1.5,
        ),
      )
      .map(([request, key, value]) => {
        const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0] as Record<string, unknown>;
        span[key] = value;
        return JSON.stringify(request);
      }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map(deeplyNestedOtlpText) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.boolean())
      .map(([count, asArray]) => hugeAttributesText(count, asArray)),
  },
);

const protobufBytes = fc.oneof(
  {
    weight: 100,
    arbitrary: fc
      .tuple(
        wellFormedOtlpRequest,
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        fc.nat(),
      )
      .map(([request, edits, cut]) => {
        const bytes = toBinary(
          ExportTraceServiceRequestSchema,
          fromJson(ExportTraceServiceRequestSchema, toProto3Ids(request)),
        ).slice();
        for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
        return cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
      }),
  },
  { weight: 40, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  // Overlong varints and lengths that point past the end.
  {
    weight: 20,
    arbitrary: fc
      .array(fc.constantFrom(0x0a, 0x12, 0x1a, 0xff, 0x80, 0x7f, 0x01, 0x00), { maxLength: 40 })
      .map((b) => Uint8Array.from(b)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.boolean())
      .map(([count, asArray]) => {
        const text = hugeAttributesText(count, asArray);
        const bytes = otlpJsonToProtobuf(text);
        if (isOtlpDecodeError(bytes)) throw new Error(bytes.error);
        return bytes;
      }),
  },
);

// ---- gzip bodies at the collector ---------------------------------------------------------

const MAX_BODY = 64 * 1024;
/** 64 MiB of zeros gzipped (about 64 KiB): a zip bomb 1000 times over the cap. */
const ZIP_BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
/** Many gzip members of 1 MiB of zeros each, concatenated (gunzip reads every member). */
const MULTI_MEMBER_BOMB = Buffer.concat(
  Array.from({ length: 64 }, () => gzipSync(Buffer.alloc(1024 * 1024), { level: 9 })),
);

const gzipCase = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => ({ body: Buffer.from(b), gzip: true })),
  fc.uint8Array({ maxLength: 400 }).map((b) => ({ body: Buffer.from(b), gzip: false })),
  fc
    .tuple(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.boolean())
    .map(([payload, cut, truncate]) => {
      const body = gzipSync(payload);
      return { body: truncate ? body.subarray(0, cut % (body.length + 1)) : body, gzip: true };
    }),
  fc
    .integer({ min: MAX_BODY - 10, max: MAX_BODY + 10 })
    .map((size) => ({ body: gzipSync(Buffer.alloc(size, 7)), gzip: true })),
  fc.constantFrom(
    { body: ZIP_BOMB, gzip: true },
    { body: MULTI_MEMBER_BOMB, gzip: true },
    { body: gzipSync(ZIP_BOMB), gzip: true },
  ),
);

function chunked(body: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) chunks.push(body.subarray(at, at + size));
  return Readable.from(chunks);
}

// ---- SSE ----------------------------------------------------------------------------------

const READERS: Array<() => ReplaySetup> = [
  () => ({ accumulator: new OpenAIChatStreamAccumulator() }),
  () => ({ accumulator: new ResponsesStreamAccumulator() }),
  () => ({ accumulator: new AnthropicStreamAccumulator() }),
  () => ({
    accumulator: new OpenAIChatStreamAccumulator(),
    translator: new ChatToAnthropicStream(),
  }),
  () => ({
    accumulator: new AnthropicStreamAccumulator(),
    translator: new AnthropicToChatStream(true),
  }),
];
const encoder = new TextEncoder();
const sseChunks = fc.oneof(
  fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }),
  fc
    .tuple(fc.array(hostileEvent, { maxLength: 12 }), fc.nat())
    .map(([events, cut]) => splitAt(encoder.encode(sseBody(events)), cut)),
  // Invalid UTF-8 spliced into well-named events.
  fc
    .tuple(
      fc.array(hostileEvent, { maxLength: 6 }),
      fc.uint8Array({ minLength: 1, maxLength: 6 }),
      fc.nat(),
    )
    .map(([events, bad, at]) => {
      const bytes = encoder.encode(sseBody(events));
      const cut = bytes.length === 0 ? 0 : at % bytes.length;
      return [bytes.subarray(0, cut), bad, bytes.subarray(cut)];
    }),
);

// ---- request / response readers -----------------------------------------------------------

type Reader = (body: JsonObject) => unknown;
const READERS_BY_NAME: Reader[] = [
  (b) => openaiChatRequest(b, 'gpt-4o'),
  (b) => responsesRequest(b, 'gpt-4o'),
  (b) => anthropicRequest(b, 'claude-x'),
  (b) => embeddingsRequest(b, 'text-embedding-3-small'),
  (b) => imageRequest(b, 'dall-e-3'),
  (b) => speechRequest(b, 'tts-1'),
  (b) => openaiChatResponse(b, 1n),
  (b) => responsesResponse(b, 1n),
  (b) => anthropicResponse(b, 1n),
  embeddingsResponse,
  imageResponse,
  anthropicToChatResponse,
  chatToAnthropicResponse,
  (b) => chatToAnthropicRequest(b, 'claude-x'),
  (b) => anthropicToChatRequest(b, 'gpt-x'),
];

function isAttributeValue(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isAttributeValue);
  if (typeof value === 'object') return Object.values(value as object).every(isAttributeValue);
  return false;
}

const deepMessages = fc.integer({ min: 100, max: 5_000 }).map((depth) => {
  let content: unknown = 'leaf';
  for (let i = 0; i < depth; i++) content = [{ type: 'text', text: content, content }];
  return { messages: [{ role: 'user', content }], input: content, system: content } as JsonObject;
});

// ---- to11.toml ----------------------------------------------------------------------------

const tomlDir = mkdtempSync(join(tmpdir(), 'to11-fuzz-toml-'));
process.once('exit', () => rmSync(tomlDir, { recursive: true, force: true }));
const tomlPath = join(tomlDir, 'to11.toml');

const tomlCase = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, load: false })) },
  {
    weight: 4,
    arbitrary: fc
      .string({ unit: fc.constantFrom(...'[]{}="\'.,\n\\ #a1-+:eE_'), maxLength: 80 })
      .map((text) => ({ text, load: false })),
  },
  { weight: 6, arbitrary: hostileTomlText.map((text) => ({ text, load: false })) },
  { weight: 2, arbitrary: hostileTomlText.map((text) => ({ text, load: true })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((depth) => ({
      text:
        depth % 2
          ? `x = ${'['.repeat(depth)}${']'.repeat(depth)}`
          : `x = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}`,
      load: false,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 200 })
      .map((b) => ({ text: Buffer.from(b).toString('utf8'), load: true })),
  },
);

// ---- headers ------------------------------------------------------------------------------

const CONTEXT_HEADERS = [
  'x-to11-user-id',
  'x-to11-session-id',
  'x-to11-conversation-id',
  'x-conversation-id',
  'x-to11-env',
  'x-to11-environment',
  'x-to11-prompt-id',
  'x-to11-prompt-version',
  'x-to11-prompt-labels',
  'x-to11-release-id',
  'x-to11-authorization',
  'x-to11-project-id',
  'x-to11-base-url',
  'x-to11-provider',
  'x-to11-upstream',
  'authorization',
  'x-api-key',
  'host',
  'x-forwarded-host',
  'content-type',
  'anthropic-version',
  'openai-organization',
  'traceparent',
  'tracestate',
] as const;
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', '\r', '\n', '\r\n', '\0', ' ', ',', 'é', ':'),
    maxLength: 20,
  }),
  fc.constantFrom(
    'a\r\nset-cookie: x=1',
    'v\nx-to11-authorization: Bearer x',
    'http://evil.example/v1',
  ),
  fc.string({ minLength: 1000, maxLength: 3000 }),
);
const headerCase = fc.record({
  headers: fc.dictionary(fc.constantFrom(...CONTEXT_HEADERS), headerValue, { maxKeys: 10 }),
  upstream: fc.dictionary(
    fc.constantFrom(
      'x-request-id',
      'set-cookie',
      'content-type',
      'retry-after',
      'x-to11-request-id',
    ),
    fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })),
    { maxKeys: 4 },
  ),
});

// ---- upstream URL -------------------------------------------------------------------------

const gatewayConfig = loadGatewayConfig({
  TO11_OPENAI_BASE_URL: 'http://127.0.0.1:9/openai/v1',
  TO11_ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/anthropic/v1',
});
const CONFIGURED_URLS = gatewayConfig.providers.map((p) => p.baseUrl);
const ENDPOINTS = [
  'chat_completions',
  'messages',
  'count_tokens',
  'responses',
  'embeddings',
  'image_generation',
  'audio_speech',
  'audio_transcription',
] as const;
const KINDS = ENDPOINT_KINDS;
const urlish = fc.constantFrom(
  'http://evil.example/v1',
  'https://api.openai.com/v1',
  'https://api.anthropic.com/v1',
  '//evil.example',
  'http://169.254.169.254/latest/meta-data',
  '@evil.example',
  '../../admin',
  '?base_url=http://evil',
  '#frag',
);
/** Names of Object.prototype members: a lookup in a plain record must not find them. */
const PROTOTYPE_NAMES = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty'];
const modelName = fc.oneof(
  urlish,
  fc
    .tuple(
      fc.constantFrom('openai', 'anthropic', 'route', 'function'),
      fc.constantFrom(...PROTOTYPE_NAMES),
    )
    .map(([prefix, name]) => `${prefix}::${name}`),
  fc
    .tuple(
      fc.constantFrom('openai', 'anthropic', 'evil', 'http', 'https', 'function', 'route', ''),
      urlish,
    )
    .map(([prefix, url]) => `${prefix}::${url}`),
  fc
    .tuple(fc.constantFrom('gpt-4o', 'claude-x', 'text-embedding-3', 'o1', 'dall-e-3'), urlish)
    .map(([model, url]) => `${model}${url}`),
  fc.string({ maxLength: 30 }),
);

// ---- targets ------------------------------------------------------------------------------

/** Every target, in run order; `weight` is its share of `--cases`. */
export const FUZZ_TARGETS: Target[] = [
  {
    name: 'traceparent',
    weight: 15,
    chunk: 20_000,
    property: (timed) =>
      fc.property(traceparentText, (text) =>
        timed(() => {
          const parsed = parseTraceparent(text);
          if (parsed === null) return true;
          if (!/^[0-9a-f]{32}$/.test(parsed.traceId) || /^0+$/.test(parsed.traceId)) return false;
          if (!/^[0-9a-f]{16}$/.test(parsed.spanId) || /^0+$/.test(parsed.spanId)) return false;
          const again = parseTraceparent(formatTraceparent(parsed));
          return again?.traceId === parsed.traceId && again.spanId === parsed.spanId;
        }),
      ),
  },
  {
    name: 'tracestate',
    weight: 10,
    chunk: 20_000,
    property: (timed) =>
      fc.property(tracestateText, (text) =>
        timed(() => {
          const entries = parseTracestate(text);
          if (entries === null) return true;
          if (entries.length > 32) return false;
          const formatted = formatTracestate(entries);
          // Forwarded upstream as a header: it must stay one header value.
          if (!isHeaderValue(formatted)) return false;
          return JSON.stringify(parseTracestate(formatted)) === JSON.stringify(entries);
        }),
      ),
  },
  {
    name: 'otlp-json',
    weight: 15,
    chunk: 1_000,
    property: (timed) => fc.property(otlpJsonText, (text) => timed(() => decodeJsonText(text))),
  },
  {
    name: 'otlp-protobuf',
    weight: 15,
    chunk: 5_000,
    property: (timed) =>
      fc.property(protobufBytes, (bytes) =>
        timed(() => {
          const result = decodeSpans(bytes, DECODE);
          if (isOtlpDecodeError(result)) return /^invalid /.test(result.error);
          return result.spans.every((span) => Object.keys(span.attributes).length <= 128);
        }),
      ),
  },
  {
    name: 'gzip-body',
    weight: 4,
    chunk: 500,
    property: (timed) =>
      fc.asyncProperty(gzipCase, fc.integer({ min: 1, max: 65_536 }), async (input, size) => {
        const result = await timed(() =>
          readBody(chunked(input.body, size), { gzip: input.gzip, maxBytes: MAX_BODY }),
        );
        if (result.status === 'aborted') return false;
        if (result.status === 'bad_encoding')
          return input.gzip && /^invalid gzip/.test(result.message);
        let expected: Buffer | null = null;
        try {
          expected = input.gzip
            ? gunzipSync(input.body, { maxOutputLength: MAX_BODY + 1 })
            : input.body;
        } catch {
          expected = null;
        }
        if (result.status === 'too_large') return expected === null || expected.length > MAX_BODY;
        return (
          result.bytes.length <= MAX_BODY && (expected === null || expected.equals(result.bytes))
        );
      }),
  },
  {
    name: 'sse',
    weight: 14,
    chunk: 5_000,
    property: (timed) =>
      fc.property(sseChunks, fc.nat(READERS.length - 1), (chunks, reader) =>
        timed(() => {
          const setup = (READERS[reader] as () => ReplaySetup)();
          const replayed = replay(chunks, setup);
          JSON.stringify(replayed, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
          return ['complete', 'cut', 'upstream_error'].includes(String(replayed.outcome));
        }),
      ),
  },
  {
    name: 'request-readers',
    weight: 15,
    chunk: 5_000,
    property: (timed) =>
      fc.property(
        fc.oneof({ weight: 50, arbitrary: wireObject }, { weight: 1, arbitrary: deepMessages }),
        fc.nat(READERS_BY_NAME.length - 1),
        (body, index) =>
          timed(() => {
            const out = (READERS_BY_NAME[index] as Reader)(body) as {
              attributes?: Record<string, unknown>;
            };
            if (out?.attributes && !Object.values(out.attributes).every(isAttributeValue)) {
              return false;
            }
            JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
            return true;
          }),
      ),
  },
  {
    name: 'toml',
    weight: 6,
    chunk: 1_000,
    property: (timed) =>
      fc.property(tomlCase, ({ text, load }) =>
        timed(() => {
          const result = parseConfigFile(text, 'fuzz.toml');
          if (!result.ok && !result.issues.every((i) => typeof i.key === 'string' && i.message)) {
            return false;
          }
          if (!load) return true;
          writeFileSync(tomlPath, text);
          try {
            loadGatewayConfig({ TO11_CONFIG: tomlPath, TO11_FUZZ_KEY: 'sk-fuzz' });
          } catch (error) {
            if (!(error instanceof ConfigError) || error.issues.length === 0) throw error;
          }
          return true;
        }),
      ),
  },
  {
    name: 'x-to11-headers',
    weight: 4,
    chunk: 5_000,
    property: (timed) =>
      fc.property(headerCase, ({ headers, upstream }) =>
        timed(() => {
          // Node's HTTP parser refuses a request whose header values carry CR, LF or NUL, so
          // only values it lets through reach the gateway; every output must stay a header.
          const accepted = Object.fromEntries(
            Object.entries(headers).filter(([, value]) => isHeaderValue(value)),
          );
          const attributes = clientContext((name) => accepted[name], undefined);
          for (const value of Object.values(attributes)) {
            const parts = Array.isArray(value) ? value : [value];
            if (!parts.every((p) => typeof p === 'string' && Buffer.byteLength(p) <= 1024)) {
              return false;
            }
          }
          const provider = gatewayConfig.providers[0];
          if (provider === undefined) throw new Error('no provider configured');
          const out = upstreamHeaders(accepted, {
            provider,
            credential: null,
            callerKey: undefined,
            traceparent: undefined,
            tracestate: undefined,
            contentType: 'application/json',
            crossFormat: false,
          });
          for (const [name, value] of Object.entries(out)) {
            if (name.startsWith('x-to11-') || name === 'host' || name === 'authorization') {
              return false;
            }
            if (!isHeaderValue(value)) return false;
          }
          const answered = responseHeaders(upstream as never);
          if ('set-cookie' in answered || 'x-to11-request-id' in answered) return false;
          return true;
        }),
      ),
  },
  {
    name: 'upstream-url',
    weight: 2,
    chunk: 5_000,
    property: (timed) =>
      fc.property(
        modelName,
        fc.constantFrom(...KINDS),
        fc.option(
          fc.oneof(urlish, fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })),
          {
            nil: undefined,
          },
        ),
        fc.constantFrom(...ENDPOINTS),
        (model, kind, environment, endpoint) =>
          timed(() => {
            const plan = RoutePlan.resolve(model, kind, gatewayConfig, {
              ...(environment === undefined ? {} : { environment }),
            });
            for (let step = plan?.next(); step; step = plan?.next({ retryable: true })) {
              const { provider, timeoutMs } = step.attempt;
              if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) return false;
              if (!CONFIGURED_URLS.includes(provider.baseUrl)) return false;
              const url = upstreamUrl(provider, endpoint);
              if (!url.startsWith(provider.baseUrl)) return false;
              if (new URL(url).origin !== new URL(provider.baseUrl).origin) return false;
            }
            return true;
          }),
      ),
  },
];

/** Runs `cases` cases of target `name` in seeded chunks; `progress` after each chunk. */
export async function runTarget(
  name: string,
  cases: number,
  seed: number,
  progress: (report: FuzzReport) => Promise<void>,
): Promise<FuzzReport> {
  const target = FUZZ_TARGETS.find((candidate) => candidate.name === name);
  if (!target) throw new Error(`unknown fuzz target ${name}`);
  const report: FuzzReport = { target: name, cases: 0, seconds: 0, maxCaseMs: 0, findings: [] };
  const note = (kind: string) => (error: unknown) =>
    report.findings.push(
      `${name}: ${kind}: ${error instanceof Error ? error.stack : String(error)}`,
    );
  process.on('unhandledRejection', note('unhandled rejection'));
  process.on('uncaughtException', note('uncaught exception'));
  const timed = <T>(run: () => T): T => {
    const started = performance.now();
    const result = run();
    if (result instanceof Promise) {
      return result.finally(() => {
        report.maxCaseMs = Math.max(report.maxCaseMs, performance.now() - started);
      }) as T;
    }
    report.maxCaseMs = Math.max(report.maxCaseMs, performance.now() - started);
    return result;
  };
  const started = performance.now();
  for (let chunk = 0; report.cases < cases; chunk++) {
    const numRuns = Math.min(target.chunk, cases - report.cases);
    const details = await fc.check(target.property(timed) as fc.IAsyncProperty<never>, {
      numRuns,
      seed: seed * 100_003 + chunk,
    });
    report.cases += details.numRuns;
    if (details.failed) {
      const input = fc.stringify(details.counterexample).slice(0, 400);
      const error =
        details.errorInstance instanceof Error ? details.errorInstance.message : 'property false';
      report.findings.push(`${name}: ${error.slice(0, 300)} on ${input} (seed ${details.seed})`);
      // The chunk stopped at its failure: count the rest as not run and go on with the next.
      if (details.numRuns === 0) report.cases += 1;
    }
    report.seconds = (performance.now() - started) / 1000;
    await progress(report);
  }
  return report;
}
