/**
 * The `[[export.otlp]]` tables of `to11.toml`: OTLP endpoints every stored span is also
 * forwarded to, beside (and in addition to) `TO11_EXPORT_OTLP_*`. Read by the gateway and the
 * collector at start. A header value `env::VAR` is read from the process environment, so keys
 * need not sit in the file.
 */
import { z } from 'zod';
import { setting } from './setting.ts';

const headerValue = z.string().regex(/^(?!env::)|^env::[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'an env:: reference must name a variable: env::VAR_NAME',
});

const otlpTargetSchema = z.strictObject({
  endpoint: setting(z.url({ protocol: /^https?$/ }), {
    description:
      'OTLP endpoint every stored span is also forwarded to (`/v1/traces` is appended to an http/protobuf URL without a path)',
  }),
  protocol: setting(z.enum(['http/protobuf', 'grpc']), {
    description: 'Transport of this endpoint: `http/protobuf` or `grpc`',
    default: 'http/protobuf',
  }).optional(),
  headers: setting(z.record(z.string().min(1), headerValue), {
    description:
      'Headers (gRPC metadata) sent with every export to this endpoint; a value `env::VAR` is read from the environment',
  }).optional(),
});

/** `[export]`: forwarding targets declared in the file. */
export const exportTomlSchema = z.strictObject({
  otlp: z.array(otlpTargetSchema).optional(),
});

/** The `[export]` table after validation. */
export type ExportSection = z.infer<typeof exportTomlSchema>;
