/** gRPC metadata for the gRPC exporter, which takes headers only as a grpc-js `Metadata`. */
import { Metadata } from '@grpc/grpc-js';

/** `headers` as grpc-js metadata (keys lowercased, as gRPC requires). */
export function grpcMetadata(headers: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key.toLowerCase(), value);
  return metadata;
}
