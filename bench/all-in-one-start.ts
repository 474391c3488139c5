/**
 * How long `node apps/cli/dist/start.js` takes to start on the embedded store, and how much CPU
 * the start costs: from the spawn to its `to11: running as pid` line, on a new data directory
 * (first start) and again on the same directory after a graceful stop (later start). The CPU
 * time is the whole process tree's at that line (user + system of to11, its Postgres watchdog,
 * postmaster and backends, with the children each has already waited for), from /proc: unlike
 * wall time it does not grow with the machine's load. Builds given in BENCH_START_ENTRIES
 * (comma-separated start.js paths, default this checkout's) alternate within each round.
 *
 *   pnpm build && cd bench && pnpm exec tsx all-in-one-start.ts
 *   BENCH_START_ENTRIES=/work/other/apps/cli/dist/start.js,../apps/cli/dist/start.js BENCH_ROUNDS=5 …
 *   TO11_EMBEDDED_ENGINE=pglite … (PGlite instead)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { START_DIST } from './all-in-one-process.ts';
import { processTree } from './gateway-bench-process.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ENTRIES = (process.env.BENCH_START_ENTRIES ?? START_DIST).split(',').map((e) => resolve(e));
const TICK_MS = 10; // CLK_TCK 100

/** CPU ms of the tree of `pid`: each process's own time plus that of children it waited for. */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const one of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${one}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks * TICK_MS;
}

interface Start {
  wallMs: number;
  cpuMs: number;
}

/** One start of `entry` on `dataDir` until its running line; then a graceful stop. */
async function startOnce(entry: string, dataDir: string): Promise<Start> {
  const startedAt = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--max-semi-space-size=32', entry], {
    cwd: resolve(import.meta.dirname, '..'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TO11_DATA_DIR: dataDir,
      TO11_GATEWAY_HOST: '127.0.0.1',
      TO11_GATEWAY_PORT: '0',
      TO11_COLLECTOR_HOST: '127.0.0.1',
      TO11_COLLECTOR_GRPC_PORT: '0',
      TO11_COLLECTOR_HTTP_PORT: '0',
      TO11_LOG_LEVEL: 'warn',
      ...(process.env.TO11_EMBEDDED_ENGINE
        ? { TO11_EMBEDDED_ENGINE: process.env.TO11_EMBEDDED_ENGINE }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const result = await new Promise<Start>((resolveStart, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('to11: running as pid')) {
        const wallMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
        resolveStart({ wallMs, cpuMs: treeCpuMs(child.pid ?? 0) });
      }
    });
    exited.then(() => reject(new Error(`${entry} exited before it ran: ${out}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return result;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const results = new Map(
  ENTRIES.map((entry) => [entry, { first: [] as Start[], later: [] as Start[] }]),
);
const loads: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const entry of ENTRIES) {
    const dataDir = mkdtempSync(join(tmpdir(), 'to11-bench-start-'));
    try {
      loads.push(loadavg()[0] ?? 0);
      // The directory itself (mode 0700): as root, the server's user must get through its parent.
      const first = await startOnce(entry, dataDir);
      const later = await startOnce(entry, dataDir);
      results.get(entry)?.first.push(first);
      results.get(entry)?.later.push(later);
      console.error(
        `round ${round + 1} ${entry}: first ${first.wallMs.toFixed(0)} ms (cpu ${first.cpuMs}), later ${later.wallMs.toFixed(0)} ms (cpu ${later.cpuMs})`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

console.log(
  `\n${ROUNDS} rounds, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; medians (min–max)\n`,
);
console.log(
  '| build | first start, ms | first start CPU, ms | later start, ms | later start CPU, ms |',
);
console.log('|---|---:|---:|---:|---:|');
const cell = (xs: number[]) =>
  `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
for (const [entry, { first, later }] of results) {
  console.log(
    `| ${entry} | ${cell(first.map((s) => s.wallMs))} | ${cell(first.map((s) => s.cpuMs))} | ${cell(later.map((s) => s.wallMs))} | ${cell(later.map((s) => s.cpuMs))} |`,
  );
}
