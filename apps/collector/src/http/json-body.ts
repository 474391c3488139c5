import type { Context } from 'hono';
import type { z } from 'zod';
import { CollectorError } from '../errors.ts';

/**
 * Reads and validates a JSON request body.
 * @throws CollectorError `bad_request` naming the first invalid field, or saying the body is not
 *   JSON.
 */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new CollectorError('bad_request', 'request body must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    throw new CollectorError('bad_request', `${field}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
