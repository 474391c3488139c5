/**
 * Where the embedded store's ingest CPU goes, and the later start after it: starts the built
 * all-in-one on a new data directory, sends BENCH_INGEST_REQUESTS (default 40) OTLP/HTTP
 * protobuf requests of 512 spans, 8 at a time, BENCH_REPEAT times (default 2; the first pass
 * includes JIT warm-up), and prints spans/s with the CPU per span of each process name of its
 * tree (`node`: to11 with PGlite's worker thread; `postgres`: the embedded server and its
 * backends), from /proc. Then stops it gracefully and times two later starts on that
 * directory (spawn to first answer).
 *
 *   pnpm build && cd bench && pnpm exec tsx all-in-one-ingest-cpu.ts
 *   BENCH_EMBEDDED_ENGINE=pglite pnpm exec tsx all-in-one-ingest-cpu.ts
 *   BENCH_START_ENTRY=<start.js of another build> …
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { START_DIST, startAllInOneProcess } from './all-in-one-process.ts';
import { load } from './collector-bench-tools.ts';
import { startChild } from './gateway-bench-load.ts';
import { processTree } from './gateway-bench-process.ts';

const REQUESTS = Number(process.env.BENCH_INGEST_REQUESTS ?? 40);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const entry = resolve(process.env.BENCH_START_ENTRY ?? START_DIST);

/** CPU µs by process name over the tree of `pid` (own time plus waited-for children's). */
function cpuByName(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const one of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${one}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      out[name] = (out[name] ?? 0) + ticks * 10_000;
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const upstreamChild = await startChild('upstream', {});
const dataDir = mkdtempSync(join(tmpdir(), 'to11-bench-ingest-'));
const apiKey = `to11_test_${randomBytes(16).toString('hex')}`;
const launch = {
  entry,
  upstream: `http://127.0.0.1:${upstreamChild.port}`,
  dataDir,
  databaseUrl: undefined,
  apiKey,
};
try {
  const first = await startAllInOneProcess(launch);
  const pid = first.child.pid ?? 0;
  console.log(`first start ${first.startMs.toFixed(0)} ms, load ${loadavg()[0]?.toFixed(1)}`);
  const exchange = await fetch(`${first.collectorHttpUrl}/v1/ingest-token/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential: apiKey }),
  });
  const { token } = (await exchange.json()) as { token: string };
  const startNs = (BigInt(Date.now()) - 60_000n) * 1_000_000n;
  for (let pass = 0; pass < REPEAT; pass++) {
    const before = cpuByName(pid);
    const result = await load({
      protocol: 'http',
      url: first.collectorHttpUrl,
      token,
      requests: REQUESTS,
      concurrency: 8,
      seed: pass + 1,
      startNs: startNs.toString(),
    });
    const after = cpuByName(pid);
    const perSpan = Object.entries(after).map(
      ([name, us]) => `${name} ${((us - (before[name] ?? 0)) / result.okSpans).toFixed(1)}`,
    );
    console.log(
      `pass ${pass + 1}: ${(result.okSpans / result.seconds).toFixed(0)} spans/s; CPU µs/span: ${perSpan.join(', ')}; load ${loadavg()[0]?.toFixed(1)}`,
    );
  }
  const stopping = Date.now();
  await first.stop();
  console.log(`graceful stop ${Date.now() - stopping} ms`);
  for (let i = 0; i < 2; i++) {
    const later = await startAllInOneProcess(launch);
    console.log(`later start ${later.startMs.toFixed(0)} ms`);
    await later.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await upstreamChild.stop();
}
