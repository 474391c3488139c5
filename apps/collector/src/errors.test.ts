import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import {
  CollectorError,
  type CollectorErrorCode,
  type ErrorLogLevel,
  type ErrorStatus,
  errorAnswer,
  exportError,
  type FailedExport,
  overloadedError,
  RETRY_AFTER_SECONDS,
} from './errors.ts';

/** Every member of the error union and what it must answer (SPEC §3, §6, §9). */
const TABLE: [CollectorErrorCode, ErrorStatus, Code, ErrorLogLevel][] = [
  ['bad_request', 400, Code.InvalidArgument, 'debug'],
  ['auth', 401, Code.Unauthenticated, 'debug'],
  ['forbidden', 403, Code.PermissionDenied, 'debug'],
  ['not_found', 404, Code.NotFound, 'debug'],
  ['payload_too_large', 413, Code.ResourceExhausted, 'debug'],
  ['unsupported_media_type', 415, Code.Unimplemented, 'debug'],
  ['not_supported', 501, Code.Unimplemented, 'debug'],
  ['unavailable', 503, Code.Unavailable, 'warn'],
  ['internal', 500, Code.Internal, 'error'],
];

describe('errorAnswer', () => {
  it.each(TABLE)(
    'answers %s with HTTP %i, gRPC code %i, logged at %s',
    (code, status, grpc, log) => {
      const error = new CollectorError(code, `message of ${code}`);
      expect(errorAnswer(error)).toEqual({
        status,
        grpcCode: grpc,
        body: { error: { code, message: `message of ${code}` } },
        headers: { 'x-to11-error-code': code },
        logLevel: log,
      });
      const connect = error.toConnectError();
      expect(connect.code).toBe(grpc);
      expect(connect.rawMessage).toBe(`message of ${code}`);
      expect(connect.metadata.get('retry-after')).toBeNull();
    },
  );

  it('covers every error code of the union exactly once', () => {
    const codes = TABLE.map(([code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toHaveLength(9);
  });

  it('sends Retry-After in the headers and the gRPC trailers of a retryable error', () => {
    const error = overloadedError();
    expect(errorAnswer(error)).toMatchObject({
      status: 503,
      grpcCode: Code.Unavailable,
      headers: { 'x-to11-error-code': 'unavailable', 'retry-after': String(RETRY_AFTER_SECONDS) },
    });
    expect(error.toConnectError().metadata.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
  });
});

describe('exportError', () => {
  const cases: [FailedExport, ErrorStatus, Code, string | null][] = [
    [{ status: 'invalid', message: 'invalid OTLP protobuf: x' }, 400, Code.InvalidArgument, null],
    [{ status: 'rejected', message: 'refused' }, 400, Code.InvalidArgument, null],
    ...(['store', 'overflow', 'timeout', 'closing'] as const).map(
      (reason): [FailedExport, ErrorStatus, Code, string | null] => [
        { status: 'unavailable', reason, message: `down: ${reason}`, retryAfterSeconds: 7 },
        503,
        Code.Unavailable,
        '7',
      ],
    ),
  ];
  it.each(cases)('maps %o to HTTP %i / gRPC %i', (outcome, status, grpc, retryAfter) => {
    const answer = errorAnswer(exportError(outcome));
    expect(answer.status).toBe(status);
    expect(answer.grpcCode).toBe(grpc);
    expect(answer.body.error.message).toBe(outcome.message);
    expect(answer.headers['retry-after'] ?? null).toBe(retryAfter);
    expect(exportError(outcome).toConnectError().metadata.get('retry-after')).toBe(retryAfter);
  });
});
