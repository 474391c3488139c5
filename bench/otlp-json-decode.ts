/**
 * OTLP/JSON decode benchmark (issue 12): CPU time per span of the collector's JSON path, body
 * text → span records, in one process: `otlpJsonToProtobuf` (JSON.parse + a transcoder to
 * protobuf bytes) then `decodeSpans` (the one span decoder). Beside it in the same run: the
 * protobuf-es message path (`parseOtlpJsonRequest` = JSON.parse + `fromJson`, then `toBinary` +
 * the decoder), the message parse alone, and the protobuf path (`decodeSpans` on the same
 * request's bytes). Rounds interleave the phases.
 *
 *   pnpm exec tsx otlp-json-decode.ts [requests=40] [rounds=5]
 *
 * With BENCH_JSON_BASELINE=<module> (a file exporting the removed `otlpToSpans(request,
 * options)`, e.g. `git show 593ea4e:packages/trace-core/src/otlp-to-span.ts` saved back at its
 * old path), a "before" phase converts the parsed messages with it, for the before/after ratio.
 */
import { fromBinary, toJson } from '@bufbuild/protobuf';
import {
  bytesToHex,
  decodeRequestSpans,
  decodeSpans,
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
  isOtlpDecodeError,
  otlpJsonToProtobuf,
  parseOtlpJsonRequest,
  type SpanDecodeOptions,
} from '@to11/trace-core';
import { median } from './collector-bench-tools.ts';
import { makeRequests, SPANS_PER_REQUEST } from './collector-requests.ts';

const REQUESTS = Number(process.argv[2] ?? 40);
const ROUNDS = Number(process.argv[3] ?? 5);
const options: SpanDecodeOptions = { projectId: 'proj_bench' };

type Convert = (request: ExportTraceServiceRequest, options: SpanDecodeOptions) => unknown;
const baselinePath = process.env.BENCH_JSON_BASELINE;
const before: Convert | undefined = baselinePath
  ? (
      (await import(new URL(baselinePath, `file://${process.cwd()}/`).href)) as {
        otlpToSpans: Convert;
      }
    ).otlpToSpans
  : undefined;

/** OTLP/JSON as an exporter sends it: the proto3 JSON mapping with hex trace and span ids. */
function otlpJson(bytes: Uint8Array): string {
  const request = fromBinary(ExportTraceServiceRequestSchema, bytes);
  const json = toJson(ExportTraceServiceRequestSchema, request) as {
    resourceSpans: { scopeSpans: { spans: Record<string, string>[] }[] }[];
  };
  const hex = (base64: string) => bytesToHex(Buffer.from(base64, 'base64'));
  for (const resourceSpans of json.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        for (const key of ['traceId', 'spanId', 'parentSpanId']) {
          const value = span[key];
          if (value !== undefined) span[key] = hex(value);
        }
      }
    }
  }
  return JSON.stringify(json);
}

const protobuf = makeRequests(REQUESTS, 7, 1_700_000_000_000_000_000n);
const texts = protobuf.map(otlpJson);
const spans = REQUESTS * SPANS_PER_REQUEST;

function parsed(text: string): ExportTraceServiceRequest {
  const request = parseOtlpJsonRequest(text);
  if (isOtlpDecodeError(request)) throw new Error(request.error);
  return request;
}

const phases: Record<string, () => void> = {
  'JSON parse only': () => {
    for (const text of texts) parsed(text);
  },
  ...(before
    ? {
        'JSON before (otlpToSpans)': () => {
          for (const text of texts) before(parsed(text), options);
        },
      }
    : {}),
  'JSON messages (toBinary+decode)': () => {
    for (const text of texts) {
      const result = decodeRequestSpans(parsed(text), options);
      if (isOtlpDecodeError(result)) throw new Error(result.error);
    }
  },
  'JSON now (transcode+decode)': () => {
    for (const text of texts) {
      const bytes = otlpJsonToProtobuf(text);
      if (isOtlpDecodeError(bytes)) throw new Error(bytes.error);
      const result = decodeSpans(bytes, options);
      if (isOtlpDecodeError(result)) throw new Error(result.error);
    }
  },
  'protobuf (decodeSpans)': () => {
    for (const bytes of protobuf) decodeSpans(bytes, options);
  },
};

/** CPU microseconds per span of one run of `phase`. */
function measure(phase: () => void): number {
  const start = process.cpuUsage();
  phase();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / spans;
}

for (const phase of Object.values(phases)) phase(); // warm-up: JIT of every path
const results: Record<string, number[]> = Object.fromEntries(
  Object.keys(phases).map((name) => [name, [] as number[]]),
);
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, phase] of Object.entries(phases)) results[name]?.push(measure(phase));
}
const now = median(results['JSON now (transcode+decode)'] ?? []);
const parseOnly = median(results['JSON parse only'] ?? []);
console.log(
  `otlp-json-decode: ${REQUESTS} requests x ${SPANS_PER_REQUEST} spans, ${ROUNDS} rounds, median CPU per span`,
);
for (const [name, values] of Object.entries(results)) {
  const value = median(values);
  console.log(
    `${name.padEnd(28)} ${value.toFixed(2).padStart(7)} µs/span  ${(value / now).toFixed(2)}x of now  ${(value / parseOnly).toFixed(2)}x of parse`,
  );
}
