/**
 * The official OTLP exporters, configured the way a user would (SPEC direct ingestion): the
 * ingest token in the `authorization` header (HTTP) or metadata (gRPC), gzip on or off.
 */
import { createRequire } from 'node:module';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Which exporter: gRPC, OTLP/HTTP protobuf, OTLP/HTTP JSON. */
export type ExporterKind = 'grpc' | 'proto' | 'json';

/** Every exporter kind, for `describe.each`. */
export const EXPORTER_KINDS: ExporterKind[] = ['grpc', 'proto', 'json'];

type GrpcConfig = NonNullable<ConstructorParameters<typeof GrpcExporter>[0]>;
type GrpcMetadata = NonNullable<GrpcConfig['metadata']>;

/**
 * grpc-js `Metadata`, loaded from the copy the gRPC exporter itself uses (it is not a direct
 * dependency of the collector, and the exporter only takes metadata as that class).
 */
function grpcMetadata(entries: Record<string, string>): GrpcMetadata {
  const fromHere = createRequire(import.meta.url);
  const fromExporter = createRequire(fromHere.resolve('@opentelemetry/exporter-trace-otlp-grpc'));
  const fromBase = createRequire(fromExporter.resolve('@opentelemetry/otlp-grpc-exporter-base'));
  const { Metadata } = fromBase('@grpc/grpc-js') as { Metadata: new () => GrpcMetadata };
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

/** Where and how to export. `token` null sends no authorization at all. */
export interface ExporterTarget {
  grpcUrl: string;
  httpUrl: string;
  token: string | null;
  gzip: boolean;
}

/** Creates an official exporter of `kind` pointed at the collector. */
export function createExporter(kind: ExporterKind, target: ExporterTarget): SpanExporter {
  const headers: Record<string, string> =
    target.token === null ? {} : { authorization: `Bearer ${target.token}` };
  const compression = target.gzip ? 'gzip' : 'none';
  if (kind === 'grpc') {
    return new GrpcExporter({
      url: target.grpcUrl,
      metadata: grpcMetadata(headers),
      compression: compression as GrpcConfig['compression'],
      timeoutMillis: 15_000,
    });
  }
  const options = {
    url: `${target.httpUrl}/v1/traces`,
    headers,
    compression: compression as GrpcConfig['compression'],
    timeoutMillis: 15_000,
  };
  return kind === 'proto' ? new ProtoExporter(options) : new JsonExporter(options);
}

/** Exports spans once with `exporter` (what a span processor does) and returns the result. */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** Exports and shuts the exporter down; returns the result. */
export async function exportOnce(
  kind: ExporterKind,
  target: ExporterTarget,
  spans: ReadableSpan[],
): Promise<ExportResult> {
  const exporter = createExporter(kind, target);
  try {
    return await exportSpans(exporter, spans);
  } finally {
    await exporter.shutdown();
  }
}

/** True when an export succeeded. */
export function succeeded(result: ExportResult): boolean {
  return result.code === ExportResultCode.SUCCESS;
}
