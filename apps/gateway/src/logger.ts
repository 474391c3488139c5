/**
 * The gateway's pino logger: JSON lines, one per request (see the trace middleware). Headers
 * are never logged, so neither keys nor Authorization values can reach it.
 */
import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';

/** A logger at `level`, writing to stdout or to the file at `destination`. */
export function createGatewayLogger(level: string, destination?: string): Logger {
  // The workers of a gateway cluster share stdout: each line says which process wrote it.
  const base = cluster.isWorker
    ? { service: 'to11-gateway', pid: process.pid }
    : { service: 'to11-gateway' };
  const options = { level, base };
  return destination
    ? pino(options, pino.destination({ dest: destination, sync: false }))
    : pino(options);
}
