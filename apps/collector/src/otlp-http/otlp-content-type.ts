/** The two OTLP/HTTP encodings (SPEC §6). */
export type OtlpEncoding = 'protobuf' | 'json';

/** MIME type of each encoding, used for the reply as well. */
export const OTLP_CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The encoding of a `Content-Type` header (parameters ignored); null when unsupported. */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | null {
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  return null;
}

/**
 * Whether a `Content-Encoding` header means gzip; null when it names something else we cannot
 * decode. Absent and `identity` mean no compression.
 */
export function isGzipEncoding(contentEncoding: string | undefined): boolean | null {
  const value = contentEncoding?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return false;
  if (value === 'gzip' || value === 'x-gzip') return true;
  return null;
}
