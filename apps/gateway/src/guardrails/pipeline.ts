/**
 * The detector pipeline (reference §8.10): per message text, the blocklist first (a
 * case-insensitive substring blocks), then the PII detectors in {@link PII_PATTERNS} order,
 * each with its configured action. The first block stops the scan; redactions rewrite the
 * text the later detectors see; flags only count. Block reasons name the detector and what it
 * found, never the matched text.
 */
import type { GuardrailAction } from '@to11/config';
import type { JsonObject } from '../wire/json-fields.ts';
import { rewriteTexts } from './message-texts.ts';
import { findMatches, PII_PATTERNS, redact } from './pii-patterns.ts';
import type { GuardrailSettings } from './settings.ts';

/** Which side of the call a decision is about. */
export type Direction = 'input' | 'output';

/** A detector that matched, and what it did. */
export interface Decision {
  direction: Direction;
  detector: string;
  action: Exclude<GuardrailAction, 'off'>;
  /** Matches over every text of the body. */
  matches: number;
}

/** Why a body was blocked. */
export interface Block {
  detector: string;
  reason: string;
}

/** What a scan found. */
export interface ScanResult {
  /** The body with redactions applied (the same object when nothing was redacted). */
  body: JsonObject;
  decisions: Decision[];
  block?: Block;
}

/** Runs the pipeline over one text at a time, collecting decisions. */
class Scanner {
  readonly decisions = new Map<string, Decision>();
  block: Block | undefined;

  constructor(
    private readonly settings: GuardrailSettings,
    private readonly direction: Direction,
    /** Streams already sent: every match can only be flagged. */
    private readonly flagOnly = false,
  ) {}

  #decide(detector: string, action: Decision['action'], matches: number): void {
    const effective = this.flagOnly ? 'flag' : action;
    const known = this.decisions.get(detector);
    if (known) known.matches += matches;
    else
      this.decisions.set(detector, {
        direction: this.direction,
        detector,
        action: effective,
        matches,
      });
  }

  readonly scan = (text: string): string => {
    if (this.block) return text;
    const { blocklist, pii } = this.settings;
    if (blocklist.length > 0) {
      const lower = text.toLowerCase();
      const index = blocklist.findIndex((entry) => lower.includes(entry));
      if (index >= 0) {
        this.#decide('blocklist', 'block', 1);
        if (!this.flagOnly) {
          this.block = {
            detector: 'blocklist',
            reason: `the ${this.direction} contains blocklist entry #${index + 1}`,
          };
          return text;
        }
      }
    }
    let current = text;
    for (const pattern of PII_PATTERNS) {
      const action = pii[pattern.name];
      if (action === 'off') continue;
      const matches = findMatches(pattern, current);
      if (matches.length === 0) continue;
      this.#decide(pattern.name, action, matches.length);
      if (this.flagOnly || action === 'flag') continue;
      if (action === 'block') {
        this.block = {
          detector: pattern.name,
          reason: `the ${this.direction} contains ${pattern.what}`,
        };
        return text;
      }
      current = redact(current, matches, pattern.marker);
    }
    return current;
  };
}

/** Scans the message texts of `body` under `roots`. */
export function scanBody(
  settings: GuardrailSettings,
  body: JsonObject,
  roots: readonly string[],
  direction: Direction,
  options: { flagOnly?: boolean } = {},
): ScanResult {
  const scanner = new Scanner(settings, direction, options.flagOnly);
  const rewritten = rewriteTexts(body, roots, scanner.scan);
  const decisions = [...scanner.decisions.values()];
  if (scanner.block) return { body, decisions, block: scanner.block };
  return { body: rewritten, decisions };
}

/** `body` with the redactions of a scan applied and nothing recorded (telemetry copies). */
export function redactedCopy(
  settings: GuardrailSettings,
  body: JsonObject,
  roots: readonly string[],
): JsonObject {
  return scanBody(settings, body, roots, 'input').body;
}
