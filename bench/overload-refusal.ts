/**
 * What one refused call costs the gateway (issue 16; not a test). The built gateway runs with
 * `TO11_GATEWAY_MAX_IN_FLIGHT=1` in front of an upstream that never answers: one call holds the
 * only slot, then a closed loop sends `BENCH_REQUESTS` calls (c=32, keep-alive), every one
 * refused with 503 `overloaded`. Reported: the gateway process's CPU time per refusal (from
 * /proc, it travels between machines), and the refusals per second (the machine's).
 *
 *   pnpm build && cd bench && pnpm exec tsx overload-refusal.ts
 *   BENCH_GATEWAY_ENTRY=/path/to/other/apps/gateway/dist/main.js pnpm exec tsx overload-refusal.ts
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { GATEWAY_DIST, startGatewayProcess, treeCpuUs } from './gateway-bench-process.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function post(agent: Agent, port: number, body: string, apiKey: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          authorization: 'Bearer sk-bench-provider-key',
          'x-to11-authorization': `Bearer ${apiKey}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  // The upstream takes the one admitted call and never answers it.
  const hanging = createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (hanging.address() as AddressInfo).port;
  const gateway = await startGatewayProcess({
    entry: process.env.BENCH_GATEWAY_ENTRY ?? GATEWAY_DIST,
    upstream: `http://127.0.0.1:${upstreamPort}`,
    databaseUrl: undefined,
    workers: 1,
    nodeArgs: [],
    env: { TO11_GATEWAY_MAX_IN_FLIGHT: '1', TO11_LOG_LEVEL: 'warn' },
  });
  const pid = gateway.child.pid ?? 0;
  const apiKey = gateway.apiKey ?? '';
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello to the overload bench.' }],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const held = post(new Agent(), gateway.port, body, apiKey).catch(() => 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = async (count: number) => {
      const statuses = new Map<number, number>();
      let left = count;
      const loop = async () => {
        while (left-- > 0) {
          const status = await post(agent, gateway.port, body, apiKey);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      };
      const cpuBefore = treeCpuUs(pid);
      const started = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, loop));
      const seconds = (performance.now() - started) / 1000;
      return { statuses, cpuUs: treeCpuUs(pid) - cpuBefore, seconds };
    };
    await run(5_000); // warm-up
    for (let round = 1; round <= ROUNDS; round++) {
      const { statuses, cpuUs, seconds } = await run(REQUESTS);
      const answers = [...statuses].map(([k, v]) => `${k}: ${v}`).join(', ');
      console.log(
        `round ${round}: ${REQUESTS} calls (${answers}) in ${seconds.toFixed(1)} s, ${(REQUESTS / seconds).toFixed(0)}/s; gateway CPU ${(cpuUs / REQUESTS).toFixed(1)} µs per refusal; load average ${loadavg()[0]?.toFixed(1)}`,
      );
    }
    void held;
  } finally {
    agent.destroy();
    await gateway.stop();
    hanging.closeAllConnections();
    hanging.close();
  }
}

await main();
