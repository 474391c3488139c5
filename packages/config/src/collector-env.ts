/** The collector's environment variables (SPEC §2, §6), with their defaults. */
import { z } from 'zod';
import { setting } from './setting.ts';
import { withSharedEnv } from './shared-env.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();

function withDefault(schema: z.ZodCoercedNumber, value: number, description: string) {
  return setting(schema, { description, default: String(value) }).default(value);
}

/** The variables only the collector reads. */
export const collectorOwnEnvSchema = z.object({
  TO11_COLLECTOR_HOST: setting(z.string().min(1), {
    description: 'Interface both collector listeners bind to',
    default: '127.0.0.1',
  }).default('127.0.0.1'),
  TO11_COLLECTOR_GRPC_PORT: withDefault(port, 4317, 'Collector OTLP/gRPC port'),
  TO11_COLLECTOR_HTTP_PORT: withDefault(port, 4318, 'Collector OTLP/HTTP + API port'),
  TO11_COLLECTOR_MAX_BODY_BYTES: withDefault(
    positiveInt,
    8 * 1024 * 1024,
    'Largest request body after decompression, both protocols',
  ),
  TO11_COLLECTOR_MAX_ATTRIBUTES: withDefault(
    positiveInt,
    128,
    'Attributes kept per span, event, link and resource; the rest are dropped and counted',
  ),
  TO11_COLLECTOR_MAX_ATTRIBUTE_LENGTH: withDefault(
    positiveInt,
    64 * 1024,
    'Longest string attribute value kept, in characters; longer values are truncated',
  ),
  TO11_COLLECTOR_MAX_QUEUED_SPANS: withDefault(
    positiveInt,
    20_000,
    'Spans waiting for the store at most; past it exports answer 503 / UNAVAILABLE',
  ),
  TO11_COLLECTOR_MAX_CONCURRENT_EXPORTS: withDefault(
    positiveInt,
    32,
    'Export requests in progress at most; past it 503 / UNAVAILABLE at once',
  ),
  TO11_COLLECTOR_ACK_TIMEOUT_MS: withDefault(
    positiveInt,
    5_000,
    'Longest an export waits for its commit before answering 503 / UNAVAILABLE',
  ),
  TO11_COLLECTOR_BATCH_SPANS: withDefault(positiveInt, 2048, 'Spans per committed batch'),
  TO11_COLLECTOR_WRITE_CONCURRENCY: setting(positiveInt, {
    description: "Batches written at once (connections); the store's default when unset",
  }).optional(),
  TO11_TOKEN_SECRET: setting(z.string().min(1), {
    description: 'Secret that signs ingest tokens; **required** with `DATABASE_URL`',
    default: 'generated in the data dir',
  }).optional(),
});

/** Everything the collector reads from the environment. */
export const collectorEnvSchema = withSharedEnv(collectorOwnEnvSchema);

/** The collector's environment after validation. */
export type CollectorEnv = z.output<typeof collectorEnvSchema>;
