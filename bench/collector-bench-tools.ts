/**
 * Helpers of the collector benchmark: the collector as its own process, the load generator as
 * another, /proc readings of a process, and a raw COPY of pre-encoded rows.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import type { LoadJob, LoadResult } from './collector-load-client.ts';

/** A collector process and its listener URLs. */
export interface CollectorProcess {
  child: ChildProcess;
  grpcUrl: string;
  httpUrl: string;
}

/**
 * Starts the collector as its own process (apps/collector/src/main.ts, as deployed) on free
 * ports and reads its listener URLs from its stdout. BENCH_NODE_FLAGS adds Node flags,
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile there.
 */
export async function startCollectorProcess(
  env: Record<string, string>,
): Promise<CollectorProcess> {
  const profile = process.env.BENCH_CPU_PROF;
  const child = fork(new URL('../apps/collector/src/main.ts', import.meta.url), {
    execArgv: [
      ...process.execArgv,
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    ],
    env: { ...process.env, ...env, TO11_COLLECTOR_GRPC_PORT: '0', TO11_COLLECTOR_HTTP_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let output = '';
  const urls = await new Promise<{ grpcUrl: string; httpUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const grpcUrl = /OTLP\/gRPC listening on (\S+)/.exec(output)?.[1];
      const httpUrl = /OTLP\/HTTP and API listening on (\S+)/.exec(output)?.[1];
      if (grpcUrl && httpUrl) resolve({ grpcUrl, httpUrl });
    });
  });
  child.stdout?.resume();
  return { child, ...urls };
}

/** Stops the collector process with SIGTERM (graceful) and waits for it to exit. */
export async function stopCollectorProcess(collector: CollectorProcess): Promise<void> {
  const exited = once(collector.child, 'exit');
  collector.child.kill('SIGTERM');
  await exited;
}

/** Runs the load generator in a child process and waits for its result. */
export async function load(job: LoadJob): Promise<LoadResult> {
  const child = fork(new URL('./collector-load-client.ts', import.meta.url), {
    execArgv: process.execArgv,
  });
  const answer = once(child, 'message') as Promise<[LoadResult]>;
  child.send(job);
  const [result] = await answer;
  return result;
}

/** Resident set size of a process, from /proc (Linux). */
export function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuOf(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Seconds to COPY pre-encoded texts into `spans`, one connection per text, concurrently. */
export async function rawCopy(url: string, columns: string[], texts: string[]): Promise<number> {
  const sql = postgres(url, { max: texts.length, onnotice: () => {} });
  const conns = await Promise.all(texts.map(() => sql.reserve()));
  await Promise.all(conns.map((conn) => conn`select 1`));
  const query = `COPY spans (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  const started = performance.now();
  await Promise.all(
    conns.map(async (conn, i) => {
      const stream = await conn.unsafe(query).writable();
      const finished = once(stream, 'finish');
      stream.end(texts[i]);
      await finished;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const conn of conns) conn.release();
  await sql.end();
  return seconds;
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
