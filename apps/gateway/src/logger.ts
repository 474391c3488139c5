/**
 * The gateway's pino logger: JSON lines, one per request (see the trace middleware). Headers
 * are never logged, so neither keys nor Authorization values can reach it.
 */
import pino, { type Logger } from 'pino';

/** A logger at `level`, writing to stdout or to the file at `destination`. */
export function createGatewayLogger(level: string, destination?: string): Logger {
  const options = { level, base: { service: 'to11-gateway' } };
  return destination
    ? pino(options, pino.destination({ dest: destination, sync: false }))
    : pino(options);
}
