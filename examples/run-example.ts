/** Runs one example as a user runs it, against a running product; shared by the example tests. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RunningProduct } from '../e2e/src/topology.ts';

const run = promisify(execFile);

/**
 * Runs `command examples/<file>` with the to11 settings the README tells a user to set and the
 * given provider keys (none of the parent's to11, OTel or provider settings leak in); returns
 * its stdout.
 */
export async function runExample(
  product: RunningProduct,
  command: string,
  file: string,
  providerKeys: Record<string, string>,
): Promise<string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('TO11_') &&
        !key.startsWith('OTEL_') &&
        key !== 'OPENAI_API_KEY' &&
        key !== 'ANTHROPIC_API_KEY',
    ),
  );
  const { stdout } = await run(command, [resolve(import.meta.dirname, file)], {
    env: {
      ...inherited,
      TO11_API_KEY: product.apiKey,
      TO11_GATEWAY_URL: `${product.gatewayUrl}/v1`,
      TO11_URL: product.httpUrl,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: product.grpcUrl,
      ...providerKeys,
    },
    timeout: 30_000,
  });
  return stdout;
}
