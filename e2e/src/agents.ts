/**
 * Runs the agent-to-agent fixture (fixtures/agent.mjs): agent A as a child process, which
 * starts agent B with its context in TRACEPARENT. Both are configured only through the
 * environment a user would set, OTel exporter variables included.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { PROVIDER_KEY } from './gateway-client.ts';
import type { RunningProduct } from './topology.ts';

/** What one agent reported: its span's ids. */
export interface AgentReport {
  role: string;
  traceId: string;
  spanId: string;
}

/** Runs agent A (and through it agent B); resolves with both reports and the output. */
export async function runAgents(
  product: RunningProduct,
  ingestToken: string,
): Promise<{ code: number | null; agents: AgentReport[]; output: string }> {
  const agentA = spawn(
    process.execPath,
    [resolve(import.meta.dirname, '../fixtures/agent.mjs'), 'a'],
    {
      env: {
        ...process.env,
        TO11_GATEWAY_URL: `${product.gatewayUrl}/v1`,
        TO11_API_KEY: product.apiKey,
        OPENAI_API_KEY: PROVIDER_KEY,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: product.grpcUrl,
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: `authorization=${encodeURIComponent(`Bearer ${ingestToken}`)}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  agentA.stdout.on('data', append);
  agentA.stderr.on('data', append);
  const [code] = (await once(agentA, 'exit')) as [number | null];
  const agents = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AgentReport);
  return { code, agents, output };
}
