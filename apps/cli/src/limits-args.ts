/**
 * `to11 limits show|set` (SPEC §10): the arguments of the limits commands, turned into the
 * subject (`--project ID` or `--key ID`) and, for `set`, the `PUT` body of the admin API. A
 * value of `none` clears a limit (the gateway's to11.toml default, if any, then applies).
 */

/** Which limits a command reads or writes. */
export type LimitsSubject = { kind: 'project'; id: string } | { kind: 'key'; id: string };

/** Body of `PUT …/limits`: a number sets a limit, null clears it, a missing field keeps it. */
export type LimitsBody = Partial<
  Record<
    'requests_per_minute' | 'tokens_per_minute' | 'usd_per_day' | 'usd_per_month',
    number | null
  >
>;

/** The `set` options and the API field each one writes. */
export const LIMIT_OPTIONS = {
  'requests-per-minute': { field: 'requests_per_minute', whole: true },
  'tokens-per-minute': { field: 'tokens_per_minute', whole: true },
  'usd-per-day': { field: 'usd_per_day', whole: false },
  'usd-per-month': { field: 'usd_per_month', whole: false },
} as const;

type LimitOption = keyof typeof LIMIT_OPTIONS;

/** The subject of `--project` / `--key`, or why it is wrong. */
export function limitsSubject(
  command: string,
  values: { project?: string | undefined; key?: string | undefined },
): LimitsSubject | string {
  if ((values.project === undefined) === (values.key === undefined)) {
    return `${command} needs exactly one of --project PROJECT_ID or --key KEY_ID`;
  }
  return values.project !== undefined
    ? { kind: 'project', id: values.project }
    : { kind: 'key', id: values.key ?? '' };
}

/** The `PUT` body of `limits set`, or why it is wrong. */
export function limitsBody(
  values: Partial<Record<LimitOption, string | undefined>>,
): LimitsBody | string {
  const body: LimitsBody = {};
  for (const [option, { field, whole }] of Object.entries(LIMIT_OPTIONS)) {
    const raw = values[option as LimitOption];
    if (raw === undefined) continue;
    if (raw === 'none') {
      body[field] = null;
      continue;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
      const kind = whole ? 'a whole number above 0' : 'a number above 0';
      return `--${option} must be ${kind} or none, got "${raw}"`;
    }
    body[field] = value;
  }
  if (Object.keys(body).length === 0) {
    return `limits set needs at least one of ${Object.keys(LIMIT_OPTIONS)
      .map((o) => `--${o}`)
      .join(', ')}`;
  }
  return body;
}

/** The admin API path of a subject's limits. */
export function limitsPath(subject: LimitsSubject): string {
  return subject.kind === 'project'
    ? `/api/v1/limits?projectId=${encodeURIComponent(subject.id)}`
    : `/api/v1/keys/${encodeURIComponent(subject.id)}/limits`;
}
