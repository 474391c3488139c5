/**
 * The PII detectors' patterns (reference §8.10 stage 2): each finds candidate spans with one
 * global regex and, where a regex alone over-matches, confirms them (Luhn for card numbers,
 * `node:net` for IP addresses). Matches are `[start, end)` offsets into the text.
 */
import { isIP } from 'node:net';
import type { PiiDetector } from '@to11/config';

/** One match: offsets into the scanned text. */
export type Match = readonly [start: number, end: number];

/** One PII detector. */
export interface PiiPattern {
  name: PiiDetector;
  /** What the block message says the text contains. */
  what: string;
  /** Replacement of a redacted match. */
  marker: string;
  /** Cheap precheck: a text without this character cannot match. */
  needs?: string;
  /** Cheap precheck: a text this regex does not find cannot match. */
  hint?: RegExp;
  regex: RegExp;
  confirm?: (candidate: string) => boolean;
}

/** The Luhn checksum of the digits of `candidate` (13 to 19 of them). */
export function luhnValid(candidate: string): boolean {
  let sum = 0;
  let digits = 0;
  let double = false;
  for (let i = candidate.length - 1; i >= 0; i -= 1) {
    const code = candidate.charCodeAt(i) - 48;
    if (code < 0 || code > 9) continue;
    digits += 1;
    let value = code;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

/** The detectors in the order they run. */
export const PII_PATTERNS: readonly PiiPattern[] = [
  {
    name: 'ssn',
    what: 'a US social security number',
    marker: '[REDACTED_SSN]',
    needs: '-',
    regex: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g,
  },
  {
    name: 'credit_card',
    what: 'a payment card number',
    marker: '[REDACTED_CREDIT_CARD]',
    regex: /\b\d(?:[ -]?\d){12,18}\b/g,
    confirm: luhnValid,
  },
  {
    name: 'email',
    what: 'an email address',
    marker: '[REDACTED_EMAIL]',
    needs: '@',
    regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  {
    name: 'ip_address',
    what: 'an IP address',
    marker: '[REDACTED_IP_ADDRESS]',
    hint: /\d\.\d|[0-9A-Fa-f]?::?[0-9A-Fa-f]/,
    regex:
      /(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::(?:\d{1,3}\.){3}\d{1,3})?)(?![\w.:])/g,
    confirm: (candidate) => /[0-9A-Fa-f]/.test(candidate) && isIP(candidate) !== 0,
  },
  {
    name: 'phone',
    what: 'a phone number',
    marker: '[REDACTED_PHONE]',
    regex:
      /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w-])/g,
    confirm: (candidate) => {
      const digits = candidate.replace(/\D/g, '').length;
      return digits >= 10 && digits <= 15;
    },
  },
];

/** Every confirmed match of `pattern` in `text`. */
export function findMatches(pattern: PiiPattern, text: string): Match[] {
  if (pattern.needs !== undefined && !text.includes(pattern.needs)) return [];
  if (pattern.hint !== undefined && !pattern.hint.test(text)) return [];
  const found: Match[] = [];
  pattern.regex.lastIndex = 0;
  for (let m = pattern.regex.exec(text); m !== null; m = pattern.regex.exec(text)) {
    if (!pattern.confirm || pattern.confirm(m[0])) found.push([m.index, m.index + m[0].length]);
  }
  return found;
}

/** `text` with every match replaced by `marker`. */
export function redact(text: string, matches: readonly Match[], marker: string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of matches) {
    out += text.slice(at, start) + marker;
    at = end;
  }
  return out + text.slice(at);
}
