/**
 * A wire-compatible twin of `opentelemetry.proto.collector.trace.v1.TraceService` whose request
 * keeps each `resource_spans` entry as undecoded bytes (`repeated bytes resource_spans = 1` has
 * the same encoding as `repeated ResourceSpans resource_spans = 1`). Connect then only frames,
 * decompresses and size-checks binary requests, and the collector decodes the spans with its
 * fast decoder instead of protobuf-es's reflective `fromBinary`, the most expensive step of a
 * gRPC export (bench/README.md, "Collector"). Responses are the real OTLP messages.
 * JSON requests (Connect, gRPC-web JSON) cannot use it: they go to the generated service.
 */
import { create, createFileRegistry, type DescService } from '@bufbuild/protobuf';
import {
  FileDescriptorProtoSchema,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
} from '@bufbuild/protobuf/wkt';
import { TraceService } from '@to11/trace-core';

const PACKAGE = 'opentelemetry.proto.collector.trace.v1';

const file = create(FileDescriptorProtoSchema, {
  name: 'to11/collector/raw_trace_service.proto',
  package: PACKAGE,
  syntax: 'proto3',
  messageType: [
    {
      name: 'ExportTraceServiceRequest',
      field: [
        {
          name: 'resource_spans',
          jsonName: 'resourceSpans',
          number: 1,
          label: Label.REPEATED,
          type: Type.BYTES,
        },
      ],
    },
    {
      name: 'ExportTraceServiceResponse',
      field: [
        {
          name: 'partial_success',
          jsonName: 'partialSuccess',
          number: 1,
          label: Label.OPTIONAL,
          type: Type.MESSAGE,
          typeName: `.${PACKAGE}.ExportTracePartialSuccess`,
        },
      ],
    },
    {
      name: 'ExportTracePartialSuccess',
      field: [
        {
          name: 'rejected_spans',
          jsonName: 'rejectedSpans',
          number: 1,
          label: Label.OPTIONAL,
          type: Type.INT64,
        },
        {
          name: 'error_message',
          jsonName: 'errorMessage',
          number: 2,
          label: Label.OPTIONAL,
          type: Type.STRING,
        },
      ],
    },
  ],
  service: [
    {
      name: 'TraceService',
      method: [
        {
          name: 'Export',
          inputType: `.${PACKAGE}.ExportTraceServiceRequest`,
          outputType: `.${PACKAGE}.ExportTraceServiceResponse`,
        },
      ],
    },
  ],
});

function rawTraceService(): DescService {
  const service = createFileRegistry(file, () => undefined).getService(TraceService.typeName);
  if (service === undefined) throw new Error('raw TraceService descriptor is incomplete');
  return service;
}

/** The raw-request twin of `TraceService` (same service and method names, same wire format). */
export const RawTraceService = rawTraceService();

/** The request as the twin decodes it: each element is one encoded `ResourceSpans`. */
export interface RawExportRequest {
  resourceSpans: Uint8Array[];
}
