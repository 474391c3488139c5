/**
 * `[guardrails]` resolved (SPEC §10 "Guardrails and cache"): the blocklist lower-cased once,
 * and the action of every PII detector (`pii_actions.<detector>`, else `pii`, else `off`).
 */
import {
  type ConfigFile,
  type GuardrailAction,
  PII_DETECTORS,
  type PiiDetector,
} from '@to11/config';

/** What the detector pipeline runs with. */
export interface GuardrailSettings {
  /** Lower-cased blocklist entries (their index names them in a block message). */
  blocklist: string[];
  /** Action of each PII detector. */
  pii: Record<PiiDetector, GuardrailAction>;
  /** Also check non-streamed answers (streamed ones: flag only). */
  output: boolean;
  /** False when nothing can fire: the request path skips the pipeline entirely. */
  enabled: boolean;
}

/** The guardrail settings of a config file. */
export function resolveGuardrails(file: ConfigFile): GuardrailSettings {
  const section = file.guardrails ?? {};
  const fallback = section.pii ?? 'off';
  const pii = Object.fromEntries(
    PII_DETECTORS.map((name) => [name, section.pii_actions?.[name] ?? fallback]),
  ) as Record<PiiDetector, GuardrailAction>;
  const blocklist = (section.blocklist ?? []).map((entry) => entry.toLowerCase());
  const enabled = blocklist.length > 0 || PII_DETECTORS.some((name) => pii[name] !== 'off');
  return { blocklist, pii, output: section.output ?? false, enabled };
}
