/**
 * Where the gateway's CPU goes per request (not a test): the built gateway runs under
 * `node --cpu-prof` behind the bench's fake upstream, gets BENCH_SECONDS of load at c=32 in one
 * mode, stops, and its profile is summed by self time per function and per source file (mapped
 * back through `dist/main.js.map`), as µs per request.
 *
 *   pnpm build && cd bench
 *   pnpm exec tsx gateway-profile.ts [json|sse]              # PGlite
 *   pnpm exec tsx gateway-profile.ts json bare               # the bare proxy, for comparison
 *   DATABASE_URL=postgres://… pnpm exec tsx gateway-profile.ts sse
 * Knobs: BENCH_SECONDS (default 5), BENCH_TOP (rows per table, default 40), BENCH_PROFILE=dir
 * (keep the .cpuprofile there; default a temporary directory, removed after), BENCH_ENTRY=
 * <main.js of another build> (profile that build instead), BENCH_NODE_ARGS='--trace-gc …' (more
 * node flags for the profiled process), BENCH_STACKS=
 * writev,writeString (also sum those functions' self time per calling stack, BENCH_STACK_DEPTH
 * frames deep, default 8), BENCH_ALLOC=1 (instead of the CPU profile: bytes allocated per
 * request over the measured window, freed objects included, by V8's sampling heap profiler
 * through `heap-sampler.mjs`; BENCH_HEAP_INTERVAL bytes between samples, default 8192).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RoleProcess, SECONDS, startChild, throughput } from './gateway-bench-load.ts';
import { GATEWAY_DIST, startGatewayProcess, throwawayDatabase } from './gateway-bench-process.ts';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface HeapNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: HeapNode[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = Number(process.env.BENCH_TOP ?? 40);
/** Functions whose self time is also shown per calling stack (comma-separated names). */
const STACKS = (process.env.BENCH_STACKS ?? '').split(',').filter((name) => name !== '');
const STACK_DEPTH = Number(process.env.BENCH_STACK_DEPTH ?? 8);
const ALLOC = process.env.BENCH_ALLOC === '1';

/**
 * Self time (µs) per node id, of the samples between `from` and `to` (µs of the monotonic clock,
 * the clock of V8's profile timestamps and of `process.hrtime`).
 */
function selfTimes(profile: Profile, from: number, to: number): Map<number, number> {
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + delta);
  });
  return self;
}

/** The original source file of a frame in the bundle, or the frame's own URL. */
function sourceOf(frame: ProfileNode['callFrame'], map: SourceMap | null, bundle: string): string {
  if (frame.url === '') return `(${frame.functionName || 'native'})`;
  if (map && frame.url.endsWith(bundle)) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
      originalSource?: string;
    };
    if (entry.originalSource) return entry.originalSource.replace(/^.*?(apps|packages)\//, '$1/');
  }
  return frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\/(\.pnpm\/)?/, '');
}

function table(
  title: string,
  totals: Map<string, number>,
  requests: number,
  unit = 'µs',
  scale = 1,
): void {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title} (${unit} per request; total ${(sum / requests / scale).toFixed(1)})`);
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${(us / requests / scale).toFixed(2).padStart(8)}  ${name}`);
  }
}

/** Sums a sampling heap profile's bytes by function and by source file (KB per request). */
function heapTables(file: string, map: SourceMap | null, bundle: string, requests: number): void {
  const head = (JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byStack = new Map<string, number>();
  const walk = (node: HeapNode, stack: string[]): void => {
    const source = sourceOf(node.callFrame, map, bundle);
    const name = `${node.callFrame.functionName || '(anonymous)'}  ${source}`;
    const frames = [
      `${node.callFrame.functionName || '(anonymous)'}@${source.replace(/^.*\//, '')}`,
      ...stack,
    ];
    if (node.selfSize > 0) {
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
      byFile.set(source, (byFile.get(source) ?? 0) + node.selfSize);
      const key = frames.slice(0, STACK_DEPTH).join(' < ');
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, frames);
  };
  walk(head, []);
  table('bytes allocated by source file', byFile, requests, 'KB', 1024);
  table('bytes allocated by function', byFunction, requests, 'KB', 1024);
  table(`bytes allocated by stack (${STACK_DEPTH} frames)`, byStack, requests, 'KB', 1024);
}

async function main(): Promise<void> {
  const stream = process.argv[2] === 'sse';
  const bare = process.argv[3] === 'bare';
  const entry = process.env.BENCH_ENTRY ?? GATEWAY_DIST;
  const keep = process.env.BENCH_PROFILE;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'to11-gateway-profile-'));
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const database = process.env.DATABASE_URL
    ? await throwawayDatabase(process.env.DATABASE_URL)
    : null;
  const upstream = await startChild('upstream', {});
  const extraArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const heapFile = join(dir, `heap-${Date.now()}.heapprofile`);
  const sampler = fileURLToPath(new URL('./heap-sampler.mjs', import.meta.url));
  const nodeArgs = ALLOC
    ? [`--import=${sampler}`, ...extraArgs]
    : ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...extraArgs];
  if (ALLOC) process.env.BENCH_HEAP_PROFILE_FILE = heapFile;
  const started = bare
    ? await startChild('bare', { BENCH_UPSTREAM: `http://127.0.0.1:${upstream.port}` }, nodeArgs)
    : await startGatewayProcess({
        entry,
        upstream: `http://127.0.0.1:${upstream.port}`,
        databaseUrl: database?.url,
        workers: 1,
        nodeArgs,
        env: ALLOC ? { BENCH_HEAP_PROFILE_FILE: heapFile } : {},
      });
  // The load side reads the CPU time just before and after the measured window: with
  // BENCH_ALLOC, the same moments start and stop the heap sampling.
  const gateway: RoleProcess = ALLOC
    ? {
        ...started,
        cpuUs: async () => {
          started.child.kill('SIGUSR2');
          return started.cpuUs();
        },
      }
    : started;
  const measured = await throughput(
    {
      name: bare ? 'bare proxy' : 'to11 gateway',
      origin: `http://127.0.0.1:${gateway.port}`,
      headers: bare ? {} : { 'x-to11-authorization': `Bearer ${gateway.apiKey}` },
      child: gateway,
    },
    stream,
  );
  await gateway.stop();
  await upstream.stop();
  await database?.drop();
  const requests = Math.round(measured.rps * SECONDS);
  const bundle = entry;
  let map: SourceMap | null = null;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  } catch {
    map = null;
  }
  const what = `${bare ? 'bare proxy, ' : ''}${stream ? 'SSE' : 'JSON'}, ${database ? 'Postgres' : 'PGlite'}: ${measured.rps.toFixed(0)} req/s at c=32, ${measured.cpuUsPerReq.toFixed(0)} CPU µs/req (/proc)`;
  if (ALLOC) {
    console.log(`${what}; heap samples of ~${requests} requests`);
    heapTables(heapFile, map, bundle, requests);
    if (!keep) rmSync(dir, { recursive: true, force: true });
    return;
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile') && !before.has(name));
  if (!file) throw new Error(`no profile written to ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  if (!keep) rmSync(dir, { recursive: true, force: true });

  // Only the samples of the measured window (start-up, warm-up and stop left out).
  console.log(`${what}; profile ${file}, ~${requests} requests`);
  const self = selfTimes(profile, measured.window.fromUs, measured.window.toUs);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0 || node.callFrame.functionName === '(idle)') continue;
    const source = sourceOf(node.callFrame, map, bundle);
    const fn = `${node.callFrame.functionName || '(anonymous)'}  ${source}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(source, (byFile.get(source) ?? 0) + us);
  }
  table('self time by source file', byFile, requests);
  table('self time by function', byFunction, requests);
  if (STACKS.length > 0) {
    const parent = new Map<number, ProfileNode>();
    for (const node of profile.nodes) {
      for (const child of node.children ?? []) parent.set(child, node);
    }
    const byStack = new Map<string, number>();
    for (const node of profile.nodes) {
      const us = self.get(node.id) ?? 0;
      if (us === 0 || !STACKS.includes(node.callFrame.functionName)) continue;
      const frames: string[] = [];
      for (
        let at = parent.get(node.id);
        at && frames.length < STACK_DEPTH;
        at = parent.get(at.id)
      ) {
        const source = sourceOf(at.callFrame, map, bundle).replace(/^.*\//, '');
        frames.push(`${at.callFrame.functionName || '(anonymous)'}@${source}`);
      }
      const key = `${node.callFrame.functionName} < ${frames.join(' < ')}`;
      byStack.set(key, (byStack.get(key) ?? 0) + us);
    }
    table(`self time of ${STACKS.join(', ')} by calling stack`, byStack, requests);
  }
}

await main();
