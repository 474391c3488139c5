/**
 * Reads a GenAI request body: JSON for most endpoints, multipart for transcriptions (kept as
 * raw bytes to forward as-is). Malformed JSON, a non-object body or a missing model → 400
 * `bad_request`; an oversized body → 413.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { GatewayError } from '../errors.ts';
import { asObject, asString, type JsonObject } from '../wire/json-fields.ts';
import type { RequestTelemetry } from '../wire/types.ts';

/** A GenAI request as read. */
export interface ParsedRequest {
  /** The JSON body; null for multipart. */
  json: JsonObject | null;
  /** The body as received (forwarded unchanged when nothing needs rewriting). */
  raw: string | Uint8Array;
  /** The `model` the caller asked for (prefix included). */
  model: string;
  telemetry: RequestTelemetry;
  /** Content type of a multipart body. */
  contentType: string | null;
  /** Multipart fields (transcriptions). */
  form: FormData | null;
}

/** Largest request body accepted, bytes (inline images and audio included). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

function checkLength(c: Context<AppEnv>): void {
  const length = Number(c.req.header('content-length'));
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) {
    throw new GatewayError('bad_request', `request body exceeds ${MAX_BODY_BYTES} bytes`, {
      status: 413,
    });
  }
}

/** Reads and checks a JSON body, then extracts its telemetry with `describe`. */
export async function readJsonRequest(
  c: Context<AppEnv>,
  describe: (body: JsonObject, model: string) => RequestTelemetry,
): Promise<ParsedRequest> {
  checkLength(c);
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) {
    throw new GatewayError('bad_request', `request body exceeds ${MAX_BODY_BYTES} bytes`, {
      status: 413,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError('bad_request', 'request body is not valid JSON');
  }
  const json = asObject(parsed);
  if (!json) throw new GatewayError('bad_request', 'request body must be a JSON object');
  const model = asString(json.model);
  if (!model) throw new GatewayError('bad_request', 'model is required', { param: 'model' });
  return {
    json,
    raw: text,
    model,
    telemetry: describe(json, model),
    contentType: null,
    form: null,
  };
}

/** Reads a multipart body (kept as bytes) and its fields. */
export async function readMultipartRequest(
  c: Context<AppEnv>,
  describe: (form: FormData, model: string) => RequestTelemetry,
): Promise<ParsedRequest> {
  checkLength(c);
  const contentType = c.req.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new GatewayError('bad_request', 'expected a multipart/form-data body');
  }
  const raw = new Uint8Array(await c.req.arrayBuffer());
  let form: FormData;
  try {
    form = await new Request('http://gateway.invalid/', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw new GatewayError('bad_request', 'malformed multipart/form-data body');
  }
  const model = form.get('model');
  if (typeof model !== 'string' || model === '') {
    throw new GatewayError('bad_request', 'model is required', { param: 'model' });
  }
  return { json: null, raw, model, telemetry: describe(form, model), contentType, form };
}
