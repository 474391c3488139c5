import type { DescMethodUnary } from '@bufbuild/protobuf';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ExportTraceServiceResponse } from '@to11/trace-core';
import { TraceService } from '@to11/trace-core';
import { CollectorError, exportError } from '../errors.ts';
import { exportResponse } from '../export-response.ts';
import type { TraceExporter, TraceRequest } from '../export-traces.ts';
import { kIngestProject } from './ingest-project.ts';
import { type RawExportRequest, RawTraceService } from './raw-trace-service.ts';

async function exportFor(
  exporter: TraceExporter,
  request: TraceRequest,
  context: HandlerContext,
): Promise<ExportTraceServiceResponse> {
  const project = context.values.get(kIngestProject);
  if (project === undefined) {
    throw new CollectorError('auth', 'missing ingest token').toConnectError();
  }
  const outcome = await exporter.exportTraces(request, project);
  if (outcome.status !== 'ok') throw exportError(outcome).toConnectError();
  return exportResponse(outcome);
}

/**
 * Connect routes of the collector: `opentelemetry.proto.collector.trace.v1.TraceService/Export`,
 * served as gRPC, gRPC-web and Connect by the same handler. The auth interceptor has put the
 * token's project in the context; the reply waits for the commit (SPEC §6).
 */
export function routes(exporter: TraceExporter): (router: ConnectRouter) => void {
  return (router) => {
    router.service(TraceService, {
      export: (messages, context) => exportFor(exporter, { messages }, context),
    });
  };
}

/**
 * The same Export on `RawTraceService`, for binary requests: the spans are decoded here by the
 * fast decoder rather than by connect with protobuf-es.
 */
export function rawRoutes(exporter: TraceExporter): (router: ConnectRouter) => void {
  return (router) => {
    const [method] = RawTraceService.methods;
    if (method?.methodKind !== 'unary') throw new Error('raw TraceService has no unary Export');
    // DescMethod is not a discriminated union: the check above is what makes this cast true.
    router.rpc(method as DescMethodUnary, (message, context) => {
      const { resourceSpans } = message as unknown as RawExportRequest;
      return exportFor(exporter, { resourceSpans }, context);
    });
  };
}
