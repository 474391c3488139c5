/**
 * The caller's request headers as one plain record, read once per request: lowercase names,
 * a repeated header joined with ", " (what a fetch `Headers` gives). It is built from the node
 * request's raw header list, which spares node-server building a `Headers` object.
 */
import type { IncomingMessage } from 'node:http';
import type { HeaderRecord } from '../invoke/upstream-headers.ts';

/** The headers of the node request. */
export function callerHeaders(incoming: IncomingMessage): HeaderRecord {
  // No prototype: a header named like an Object property stays a plain entry.
  const record: HeaderRecord = Object.create(null);
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = (raw[index] as string).toLowerCase();
    // HTTP/2 pseudo-headers (":path") are not headers.
    if (name.charCodeAt(0) === 58) continue;
    const value = raw[index + 1] as string;
    const previous = record[name];
    record[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return record;
}
