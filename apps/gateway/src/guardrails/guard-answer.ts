/**
 * The output hooks (`[guardrails] output = true`): a non-streamed 200 answer is scanned before
 * the caller gets it (block → 400 `content_policy` instead of the answer; redact → the answer
 * rewritten); a streamed answer has already gone out when it can be read whole, so its
 * matches are only flagged. Decisions join the input ones on the attempt's GenAI span.
 */
import type { Attributes } from '@to11/trace-core';
import type { AppDeps } from '../env.ts';
import { GatewayError } from '../errors.ts';
import { asObject } from '../wire/json-fields.ts';
import type { ResponseTelemetry } from '../wire/types.ts';
import { OUTPUT_ROOTS } from './message-texts.ts';
import { scanBody } from './pipeline.ts';
import { recordDecisions } from './record-decisions.ts';

/** The answer bytes to send, or the error that replaces a blocked answer. */
export type GuardedAnswer = { bytes: Buffer } | { blocked: GatewayError };

/** Checks a buffered answer; unchanged when output guardrails are off. */
export function guardAnswer(
  deps: AppDeps,
  spanAttributes: Attributes,
  status: number,
  bytes: Buffer,
): GuardedAnswer {
  const settings = deps.config.guardrails;
  if (!settings.enabled || !settings.output || status !== 200) return { bytes };
  let json: ReturnType<typeof asObject>;
  try {
    json = asObject(JSON.parse(bytes.toString('utf8')));
  } catch {
    return { bytes };
  }
  if (!json) return { bytes };
  const result = scanBody(settings, json, OUTPUT_ROOTS, 'output');
  recordDecisions(spanAttributes, deps.metrics, result.decisions);
  if (result.block) {
    const message = `response blocked by guardrail \`${result.block.detector}\`: ${result.block.reason}`;
    return { blocked: new GatewayError('content_policy', message) };
  }
  if (result.body === json) return { bytes };
  return { bytes: Buffer.from(JSON.stringify(result.body)) };
}

/** Flags what a streamed answer contained, once it ended. */
export function flagStreamedAnswer(
  deps: AppDeps,
  spanAttributes: Attributes,
  response: ResponseTelemetry | undefined,
): void {
  const settings = deps.config.guardrails;
  if (!settings.enabled || !settings.output || !response?.output) return;
  const result = scanBody(settings, { output: response.output }, ['output'], 'output', {
    flagOnly: true,
  });
  recordDecisions(spanAttributes, deps.metrics, result.decisions);
}
