/**
 * The gateway's pino logger: JSON lines, one per request (see the trace middleware). Headers
 * are never logged, so neither keys nor Authorization values can reach it.
 */
import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import { TurnBatchedLines } from './telemetry/turn-batched-lines.ts';

/** A logger at `level`, writing to stdout or to the file at `destination`. */
export function createGatewayLogger(level: string, destination?: string): Logger {
  // The workers of a gateway cluster share stdout: each line says which process wrote it.
  const base = cluster.isWorker
    ? { service: 'to11-gateway', pid: process.pid }
    : { service: 'to11-gateway' };
  const options = { level, base };
  if (destination) return pino(options, pino.destination({ dest: destination, sync: false }));
  // stdout: the lines of one event-loop turn in one synchronous write (sonic-boom keeps its
  // EAGAIN retries and EPIPE handling), flushed at exit too. Synchronous as Node's own
  // process.stdout is on a Linux pipe; measured cheaper than sonic-boom's asynchronous default,
  // whose writes each cost a thread-pool hand-off and a callback (bench/README.md).
  const lines = new TurnBatchedLines(pino.destination({ dest: 1, sync: true }));
  process.once('exit', () => lines.flush());
  return pino(options, lines);
}
