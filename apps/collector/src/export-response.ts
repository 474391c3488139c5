import { create } from '@bufbuild/protobuf';
import type { ExportTraceServiceResponse } from '@to11/trace-core';
import { ExportTraceServiceResponseSchema } from '@to11/trace-core';
import type { ExportOutcome } from './export-traces.ts';

/**
 * The OTLP `ExportTraceServiceResponse` of a successful export: `partial_success` is set only
 * when spans were rejected or there is a warning (OTLP: an empty message means full success).
 */
export function exportResponse(
  outcome: Extract<ExportOutcome, { status: 'ok' }>,
): ExportTraceServiceResponse {
  const response = create(ExportTraceServiceResponseSchema);
  if (outcome.rejectedSpans > 0 || outcome.errorMessage !== '') {
    response.partialSuccess = {
      $typeName: 'opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess',
      rejectedSpans: BigInt(outcome.rejectedSpans),
      errorMessage: outcome.errorMessage,
    };
  }
  return response;
}
