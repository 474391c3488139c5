/**
 * Guardrail decisions on spans and in `/metrics`. Span attributes (set only when a detector
 * matched): `gen_ai.guardrail.action` (the strongest action: flag < redact < block),
 * `gen_ai.guardrail.detector` and `gen_ai.guardrail.direction` (who took it), and
 * `gen_ai.guardrail.decisions`, one `direction:detector:action:matches` string per detector
 * that matched. Each decision adds one to
 * `to11_guardrail_decisions_total{detector,action,direction}`.
 */
import type { Attributes } from '@to11/trace-core';
import type { GatewayMetrics } from '../telemetry/gateway-metrics.ts';
import type { Decision } from './pipeline.ts';

export const ATTR_GUARDRAIL_ACTION = 'gen_ai.guardrail.action';
export const ATTR_GUARDRAIL_DETECTOR = 'gen_ai.guardrail.detector';
export const ATTR_GUARDRAIL_DIRECTION = 'gen_ai.guardrail.direction';
export const ATTR_GUARDRAIL_DECISIONS = 'gen_ai.guardrail.decisions';

const STRENGTH: Record<Decision['action'], number> = { flag: 1, redact: 2, block: 3 };

/** Adds `decisions` to `attributes` (merged with earlier ones) and counts them. */
export function recordDecisions(
  attributes: Attributes,
  metrics: GatewayMetrics,
  decisions: readonly Decision[],
): void {
  if (decisions.length === 0) return;
  const previous = attributes[ATTR_GUARDRAIL_DECISIONS];
  const list = Array.isArray(previous) ? previous.map(String) : [];
  let strongest = attributes[ATTR_GUARDRAIL_ACTION] as Decision['action'] | undefined;
  for (const decision of decisions) {
    const { direction, detector, action, matches } = decision;
    list.push(`${direction}:${detector}:${action}:${matches}`);
    metrics.guardrailDecisions.inc({ detector, action, direction });
    if (strongest === undefined || STRENGTH[action] > STRENGTH[strongest]) {
      strongest = action;
      attributes[ATTR_GUARDRAIL_ACTION] = action;
      attributes[ATTR_GUARDRAIL_DETECTOR] = detector;
      attributes[ATTR_GUARDRAIL_DIRECTION] = direction;
    }
  }
  attributes[ATTR_GUARDRAIL_DECISIONS] = list;
}
