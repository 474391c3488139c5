/**
 * What the fault tests share: a load of real OpenAI SDK calls through the gateway, each in a
 * trace of its own so its spans can be counted in the store; a `/metrics` reader; polling.
 */
import { randomBytes } from 'node:crypto';
import type OpenAI from 'openai';
import postgres from 'postgres';
import { gatewayOpenAI } from './gateway-client.ts';

/** What a {@link CallLoad} did. */
export interface LoadReport {
  /** Calls that answered 200 with the whole answer. */
  succeeded: number;
  /** Errors of calls that failed, in order. */
  failures: string[];
  /** Trace id of every call that succeeded. */
  traceIds: string[];
  /** Milliseconds each successful call took, in completion order. */
  latenciesMs: number[];
}

/** Calls running in the background until {@link CallLoad.stop}. */
export interface CallLoad {
  /** The report so far (live). */
  readonly report: LoadReport;
  /** Lets the running calls finish and starts no more. */
  stop(): Promise<LoadReport>;
}

/**
 * Runs `concurrency` loops of chat completions (every third one streamed) through the gateway.
 * The SDK does not retry (`maxRetries: 0`): a call the gateway fails is counted as failed.
 */
export function startCallLoad(options: {
  gatewayUrl: string;
  apiKey: string;
  concurrency: number;
  /** Pause between two calls of one loop (default 0). */
  pauseMs?: number;
  /** Stop after this many calls in all (default: until stopped). */
  maxCalls?: number;
}): CallLoad {
  const openai = gatewayOpenAI(options.gatewayUrl, options.apiKey).withOptions({ maxRetries: 0 });
  const report: LoadReport = { succeeded: 0, failures: [], traceIds: [], latenciesMs: [] };
  let started = 0;
  const max = options.maxCalls ?? Number.POSITIVE_INFINITY;
  return runLoops(
    options.concurrency,
    report,
    async () => {
      const n = started++;
      const traceId = randomBytes(16).toString('hex');
      const began = performance.now();
      try {
        await oneCall(openai, traceId, n % 3 === 2);
        report.latenciesMs.push(performance.now() - began);
        report.succeeded++;
        report.traceIds.push(traceId);
      } catch (error) {
        report.failures.push(String(error));
      }
      if (options.pauseMs) await pause(options.pauseMs);
    },
    () => started < max,
  );
}

/**
 * Runs `step` in `concurrency` loops while `more()` holds, until `stop()`; `stop` lets the running
 * steps finish and resolves with `report`.
 */
export function runLoops<R>(
  concurrency: number,
  report: R,
  step: () => Promise<void>,
  more: () => boolean = () => true,
): { report: R; stop(): Promise<R> } {
  let stopped = false;
  const loop = async () => {
    while (!stopped && more()) await step();
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    report,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return report;
    },
  };
}

async function oneCall(openai: OpenAI, traceId: string, stream: boolean): Promise<void> {
  const headers = { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
  const messages = [{ role: 'user' as const, content: 'Say hello.' }];
  if (!stream) {
    const answer = await openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { headers },
    );
    if (!answer.choices[0]?.message.content) throw new Error('answer without content');
    return;
  }
  const chunks = await openai.chat.completions.create(
    { model: 'gpt-4o-mini', messages, stream: true },
    { headers },
  );
  let text = '';
  for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
  if (text === '') throw new Error('stream without content');
}

/** The middle value of `values` (0 when empty). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Spans stored in the `spans` table of the database at `databaseUrl` for `traceIds`. */
export async function countStoredSpans(databaseUrl: string, traceIds: string[]): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ count: string }[]>`
      select count(*) as count from spans where trace_id = any(${traceIds})`;
    return Number(row?.count ?? 0);
  } finally {
    await sql.end();
  }
}

/** The value of a `/metrics` series whose line starts with `prefix`, summed over matches. */
export async function scrapeMetric(origin: string, prefix: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Polls `read` every 250 ms until it returns true; throws naming `what` after `timeoutMs`. */
export async function eventually(
  read: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await read().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

/** Waits `ms` milliseconds. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
