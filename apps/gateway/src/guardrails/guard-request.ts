/**
 * The input hook of the request pipeline: runs the detectors over the request's message texts
 * before anything leaves. A block throws `content_policy` (400, the caller's envelope; the
 * request is never forwarded); a redaction returns the request with its body (and the
 * telemetry copy of its messages) rewritten. Decisions go on the GenAI span through the
 * client-context attributes every attempt's span carries, and on the HTTP span when blocked.
 */
import type { Attributes } from '@to11/trace-core';
import type { AppDeps } from '../env.ts';
import { GatewayError } from '../errors.ts';
import type { ParsedRequest } from '../invoke/read-request.ts';
import type { RequestTrace } from '../telemetry/request-trace.ts';
import { INPUT_ROOTS } from './message-texts.ts';
import { redactedCopy, scanBody } from './pipeline.ts';
import { recordDecisions } from './record-decisions.ts';

/** `request` as it may leave the gateway (the same object when nothing changed). */
export function guardRequest(
  deps: AppDeps,
  request: ParsedRequest,
  trace: RequestTrace,
  spanAttributes: Attributes,
): ParsedRequest {
  const settings = deps.config.guardrails;
  if (!settings.enabled || !request.json) return request;
  const result = scanBody(settings, request.json, INPUT_ROOTS, 'input');
  const decided: Attributes = {};
  recordDecisions(decided, deps.metrics, result.decisions);
  Object.assign(spanAttributes, decided);
  if (result.block) {
    // No GenAI span exists for a call that never left: the HTTP span carries the decision.
    Object.assign(trace.attributes, decided);
    throw new GatewayError(
      'content_policy',
      `request blocked by guardrail \`${result.block.detector}\`: ${result.block.reason}`,
    );
  }
  if (result.body === request.json) return request;
  const { telemetry } = request;
  const messages = redactedCopy(settings, { input: telemetry.input, system: telemetry.system }, [
    'input',
    'system',
  ]);
  return {
    ...request,
    json: result.body,
    raw: JSON.stringify(result.body),
    telemetry: {
      ...telemetry,
      input: messages.input as typeof telemetry.input,
      system: messages.system as typeof telemetry.system,
    },
  };
}
