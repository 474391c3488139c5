export type {
  AttributeValue,
  Attributes,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanRecord,
  SpanResource,
  SpanScope,
  SpanSource,
  SpanStatus,
  StatusCode,
} from './span-model.ts';
