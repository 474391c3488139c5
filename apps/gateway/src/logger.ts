/**
 * The gateway's pino logger: JSON lines, one per request (see the `/v1/*` chain,
 * `middleware/trace.ts`). Headers are never logged, so neither keys nor Authorization values
 * can reach it.
 */
import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import { TurnBatchedLines } from './telemetry/turn-batched-lines.ts';

/** The lines of one event-loop turn, written to stdout together. */
function stdoutLines(): TurnBatchedLines {
  let broken = false;
  // A closed stdout (EPIPE: the reader went away) stops the log instead of the process.
  process.stdout.on('error', () => {
    broken = true;
  });
  const lines = new TurnBatchedLines({
    write: (text) => broken || process.stdout.write(text),
  });
  process.once('exit', () => lines.flush());
  return lines;
}

/** A logger at `level`, writing to stdout or to the file at `destination`. */
export function createGatewayLogger(level: string, destination?: string): Logger {
  // The workers of a gateway cluster share stdout: each line says which process wrote it.
  const base = cluster.isWorker
    ? { service: 'to11-gateway', pid: process.pid }
    : { service: 'to11-gateway' };
  const options = { level, base };
  if (destination) return pino(options, pino.destination({ dest: destination, sync: false }));
  // stdout: the lines of one event-loop turn in one write through node's own stdout stream
  // (one write(2) on the event loop; a full pipe queues in libuv instead of blocking). pino's
  // default, sonic-boom without `sync`, costs a thread-pool write and callback per line; with
  // `sync: true` a full non-blocking pipe made it sleep 100 ms on the event loop
  // (bench/README.md, issue 15).
  return pino(options, stdoutLines());
}
