const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a relative expiry such as `30d`, `12h`, `15m` or `90s` into the instant it ends,
 * counted from `now`. Returns null when the text is not a positive whole number and a unit.
 */
export function parseExpiresIn(text: string, now: Date): Date | null {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (match === null) return null;
  const [, amount = '', unit = ''] = match;
  const count = Number(amount);
  if (!Number.isSafeInteger(count) || count <= 0 || !isUnit(unit)) return null;
  const end = now.getTime() + count * UNIT_MS[unit];
  return Number.isFinite(end) && end <= 8.64e15 ? new Date(end) : null;
}

function isUnit(unit: string): unit is keyof typeof UNIT_MS {
  return Object.hasOwn(UNIT_MS, unit);
}
