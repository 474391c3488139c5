/**
 * The OpenTelemetry JS setup of a user's app: a tracer provider exporting over OTLP/gRPC to the
 * collector with an exchanged ingest token, async-hooks context, and the W3C propagator that
 * puts `traceparent` into gateway calls (`propagation.inject`).
 */
import { createRequire } from 'node:module';
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

type GrpcMetadata = NonNullable<
  NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['metadata']
>;

// The exporter takes gRPC metadata as an @grpc/grpc-js `Metadata`; grpc-js is the exporter's
// own dependency, so it is loaded from there rather than added to this package.
const exporterRequire = createRequire(
  createRequire(import.meta.url).resolve('@opentelemetry/exporter-trace-otlp-grpc'),
);
const { Metadata } = exporterRequire('@grpc/grpc-js') as { Metadata: new () => GrpcMetadata };

let globalsInstalled = false;

/** Installs the async-hooks context manager and the W3C propagator once per process. */
function installOtelGlobals(): void {
  if (globalsInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  globalsInstalled = true;
}

/** The official OTLP/gRPC exporter, sending to the collector with an ingest token. */
export function createIngestExporter(options: {
  grpcUrl: string;
  ingestToken: string;
  /** The exporter's budget for one export, retries included (its default: 10 s). */
  timeoutMillis?: number;
}): OTLPTraceExporter {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${options.ingestToken}`);
  return new OTLPTraceExporter({
    url: options.grpcUrl,
    metadata,
    ...(options.timeoutMillis === undefined ? {} : { timeoutMillis: options.timeoutMillis }),
  });
}

/** A tracer provider exporting to the collector; `shutdown()` flushes every span. */
export function createAppTracerProvider(options: {
  grpcUrl: string;
  ingestToken: string;
  serviceName: string;
}): BasicTracerProvider {
  installOtelGlobals();
  const exporter = createIngestExporter(options);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 100 })],
  });
}

/** The active context as W3C headers (`traceparent`, `tracestate`) for an outgoing call. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
