/**
 * CPU per request of built gateways at one fixed offered rate (not a test). Closed-loop
 * throughput runs (gateway-latency.ts) compare builds at whatever rate each reaches, and on a
 * loaded machine a slower run also batches its spans differently; here every build gets the
 * same requests per second (open loop on a 1 ms clock, at most 64 in flight), so its CPU per
 * request compares directly. Builds alternate, rounds rotate.
 *
 *   pnpm build && cd bench
 *   DATABASE_URL=postgres://… BENCH_ENTRIES=bare,<main.js>,<main.js> pnpm exec tsx gateway-fixed-rate.ts
 * (`bare`: the bare node:http proxy of gateway-bench-child.ts, for the ratio at the same rate)
 * Knobs: BENCH_RATE (requests/s, default 1500), BENCH_SECONDS (default 5), BENCH_ROUNDS (3),
 * BENCH_STREAM=1 (SSE instead of JSON).
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { median, ROUNDS, SECONDS, startChild } from './gateway-bench-load.ts';
import { GATEWAY_DIST, startGatewayProcess, throwawayDatabase } from './gateway-bench-process.ts';

const RATE = Number(process.env.BENCH_RATE ?? 1500);
const STREAM = process.env.BENCH_STREAM === '1';
const MAX_IN_FLIGHT = 64;

async function offer(port: number, apiKey: string, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello to the bench.' }],
    stream: STREAM,
  });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    authorization: 'Bearer sk-bench-provider-key',
    'x-to11-authorization': `Bearer ${apiKey}`,
  };
  let inFlight = 0;
  let done = 0;
  const once = (): void => {
    inFlight += 1;
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          inFlight -= 1;
          done += 1;
        });
      },
    );
    req.on('error', () => {
      inFlight -= 1;
    });
    req.end(body);
  };
  const started = Date.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE);
      while (sent < due && inFlight < MAX_IN_FLIGHT) {
        once();
        sent += 1;
      }
      if (Date.now() - started >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  agent.destroy();
  return done;
}

async function main(): Promise<void> {
  const entries = (process.env.BENCH_ENTRIES ?? GATEWAY_DIST).split(',');
  const database = process.env.DATABASE_URL
    ? await throwawayDatabase(process.env.DATABASE_URL)
    : null;
  const upstream = await startChild('upstream', {});
  const results = entries.map((): { cpu: number; served: number }[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    const order = entries.map((_, index) => (index + round) % entries.length);
    for (const index of order) {
      const entry = entries[index] ?? GATEWAY_DIST;
      const origin = `http://127.0.0.1:${upstream.port}`;
      const gateway =
        entry === 'bare'
          ? await startChild('bare', { BENCH_UPSTREAM: origin })
          : await startGatewayProcess({
              entry,
              upstream: origin,
              databaseUrl: database?.url,
              workers: 1,
              nodeArgs: [],
            });
      await offer(gateway.port, gateway.apiKey ?? '', 1);
      const before = await gateway.cpuUs();
      const served = await offer(gateway.port, gateway.apiKey ?? '', SECONDS);
      const cpu = ((await gateway.cpuUs()) - before) / served;
      results[index]?.push({ cpu, served });
      await gateway.stop();
    }
    const load = loadavg().map((value) => value.toFixed(2));
    console.log(`round ${round + 1}/${ROUNDS} done (load average ${load.join(' ')})`);
  }
  await upstream.stop();
  await database?.drop();
  console.log(`${STREAM ? 'SSE' : 'JSON'} at ${RATE} req/s offered, ${SECONDS} s per round`);
  entries.forEach((entry, index) => {
    const rounds = results[index] ?? [];
    console.log(
      `${median(rounds.map((r) => r.cpu))
        .toFixed(0)
        .padStart(
          6,
        )} CPU µs/req (rounds ${rounds.map((r) => r.cpu.toFixed(0)).join(', ')}; served ${rounds.map((r) => r.served).join(', ')})  ${entry}`,
    );
  });
}

await main();
