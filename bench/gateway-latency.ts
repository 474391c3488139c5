/**
 * Gateway overhead benchmark (not a test). Loopback only, one OS process per role so that no role
 * steals event-loop time from another:
 *   - the fake OpenAI upstream runs in its own child process (shared by every target);
 *   - (b) a bare node:http pipe proxy (`gateway-bench-child.ts`) and (c) the to11 gateway as
 *     users run it, `node apps/gateway/dist/main.js` with the flags of its Docker image (auth,
 *     tracing, content capture, metrics, pino line, spans to the store;
 *     `gateway-bench-process.ts`), each started one at a time, measured, then stopped;
 *   - the load generator (keep-alive node:http Agent) runs in this parent process.
 * Each round measures, per target, p50/p99 latency at concurrency 1 and req/s at concurrency 32,
 * for JSON and SSE chat completions, plus the proxy's CPU time per request at c=32 (the gateway's
 * summed over its processes from /proc). The table shows the median over the rounds.
 *
 *   pnpm build    # at the repository root: the bench runs the built gateway
 *   cd bench && pnpm exec tsx gateway-latency.ts          # PGlite in a temporary directory
 *   DATABASE_URL=postgres://… pnpm exec tsx gateway-latency.ts
 * Knobs: BENCH_REQUESTS (c=1 sample, default 2000), BENCH_SECONDS (c=32 window, default 5),
 * BENCH_ROUNDS (default 3), BENCH_GATEWAY_WORKERS=n (also measure the gateway with
 * TO11_GATEWAY_WORKERS=n; Postgres only), BENCH_PROFILE=dir (the gateway and the bare proxy run
 * with --cpu-prof into dir), BENCH_BASELINE_ENTRY=path (also measure, in the same rounds, another
 * built gateway: the main.js of a copied older `apps/gateway/dist/` directory, copied whole with
 * `cp -a`; an A/B under the same machine load).
 */
import { loadavg } from 'node:os';
import {
  type Measure,
  measureTarget,
  median,
  REQUESTS,
  ROUNDS,
  SECONDS,
  startChild,
  type Target,
} from './gateway-bench-load.ts';
import { GATEWAY_DIST, startGatewayProcess, throwawayDatabase } from './gateway-bench-process.ts';

const fmt = (value: number, digits: number, width: number): string =>
  value.toFixed(digits).padStart(width);

async function main(): Promise<void> {
  const database = process.env.DATABASE_URL
    ? await throwawayDatabase(process.env.DATABASE_URL)
    : null;
  const upstreamChild = await startChild('upstream', {});
  const upstream = `http://127.0.0.1:${upstreamChild.port}`;
  const engine = database
    ? 'Postgres (throwaway database)'
    : 'PGlite in memory, in the gateway process';
  console.log(
    `to11 gateway bench: ${ROUNDS} rounds; c=1 ${REQUESTS} requests, c=32 ${SECONDS} s; store ${engine}; tracing and content capture on`,
  );
  const baseline = process.env.BENCH_BASELINE_ENTRY;
  const workers = Number(process.env.BENCH_GATEWAY_WORKERS ?? 1);
  const profile = process.env.BENCH_PROFILE;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  /** The targets after the direct upstream and the bare proxy: built gateways. */
  const gateways: { name: string; entry: string; workers: number }[] = [
    { name: 'to11 gateway', entry: GATEWAY_DIST, workers: 1 },
  ];
  if (workers > 1) {
    gateways.push({ name: `to11 gateway x${workers}`, entry: GATEWAY_DIST, workers });
  }
  if (baseline) gateways.push({ name: 'to11 gateway baseline', entry: baseline, workers: 1 });
  const names = ['direct upstream', 'bare node:http proxy', ...gateways.map((g) => g.name)];
  // results[stream][target] = one Measure per round
  const results: Measure[][][] = [0, 1].map(() => names.map(() => []));
  for (let round = 0; round < ROUNDS; round++) {
    // The gateways run in a different order every round (the machine's load drifts).
    const order = names.map((_, index) => index);
    const rotated = order.slice(2);
    for (let r = 0; r < round % Math.max(1, rotated.length); r++)
      rotated.push(rotated.shift() ?? 0);
    for (const index of [0, 1, ...rotated]) {
      const name = names[index] ?? '';
      let target: Target = { name, origin: upstream, headers: {} };
      const gateway = gateways[index - 2];
      if (index > 0) {
        const child = gateway
          ? await startGatewayProcess({
              entry: gateway.entry,
              upstream,
              databaseUrl: database?.url,
              workers: gateway.workers,
              nodeArgs,
            })
          : await startChild('bare', { BENCH_UPSTREAM: upstream });
        target = {
          name,
          origin: `http://127.0.0.1:${child.port}`,
          headers: child.apiKey ? { 'x-to11-authorization': `Bearer ${child.apiKey}` } : {},
          child,
        };
      }
      for (const stream of [0, 1]) {
        results[stream]?.[index]?.push(await measureTarget(target, stream === 1));
      }
      await target.child?.stop();
    }
    console.log(`round ${round + 1}/${ROUNDS} done (load average ${loadAverage()})`);
  }
  for (const stream of [0, 1]) {
    console.log(
      `\n${stream ? 'streaming (SSE, 10 chunks)' : 'non-streaming (JSON)'}, median of ${ROUNDS} rounds`,
    );
    console.log(
      'target                 p50 ms  p99 ms  added p50 ms  c=32 req/s  vs bare  proxy CPU µs/req',
    );
    const rows = (results[stream] ?? []).map((rounds) => ({
      p50: median(rounds.map((m) => m.p50)),
      p99: median(rounds.map((m) => m.p99)),
      rps: median(rounds.map((m) => m.rps)),
      cpu: median(rounds.map((m) => m.cpuUsPerReq)),
    }));
    const [direct, bare, gateway] = rows;
    if (!direct || !bare || !gateway) continue;
    rows.forEach((row, index) => {
      console.log(
        `${(names[index] ?? '').padEnd(22).slice(0, 22)} ${fmt(row.p50, 3, 6)}  ${fmt(row.p99, 3, 6)}  ${fmt(row.p50 - direct.p50, 3, 12)}  ${fmt(row.rps, 0, 10)}  ${fmt((row.rps / bare.rps) * 100, 0, 6)}%  ${index === 0 ? '               -' : fmt(row.cpu, 0, 16)}`,
      );
    });
    // Per-round ratios, so the spread is visible.
    const perRound = (results[stream]?.[2] ?? []).map((g, r) => {
      const b = results[stream]?.[1]?.[r];
      return b ? `${((g.rps / b.rps) * 100).toFixed(0)}%/${(g.p50 - b.p50).toFixed(3)}ms` : '';
    });
    console.log(
      `gateway p50 minus bare proxy p50: ${(gateway.p50 - bare.p50).toFixed(3)} ms (goal <= 0.3); throughput ${((gateway.rps / bare.rps) * 100).toFixed(0)}% of bare (goal >= 70%); per round: ${perRound.join(', ')}`,
    );
    rows.slice(3).forEach((row, i) => {
      const ratios = (results[stream]?.[i + 3] ?? []).map((g, r) => {
        const b = results[stream]?.[1]?.[r];
        return b ? `${((g.rps / b.rps) * 100).toFixed(0)}%` : '';
      });
      console.log(
        `${names[i + 3]}: p50 minus bare ${(row.p50 - bare.p50).toFixed(3)} ms, throughput ${((row.rps / bare.rps) * 100).toFixed(0)}% of bare; per round: ${ratios.join(', ')}`,
      );
    });
  }
  await upstreamChild.stop();
  await database?.drop();
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

await main();
