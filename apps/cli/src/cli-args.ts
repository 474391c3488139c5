import { parseArgs } from 'node:util';
import { DEFAULT_CLI_URL } from '@to11/config';
import { parseExpiresIn } from './expires-in.ts';
import {
  LIMIT_OPTIONS,
  type LimitsBody,
  type LimitsSubject,
  limitsBody,
  limitsSubject,
} from './limits-args.ts';
import { traceListQuery } from './traces-query.ts';

/** The scopes of SPEC §3, in the order the help text lists them. */
export const SCOPES = ['gateway:invoke', 'otel:write', 'traces:read', 'admin'] as const;

/** Where the admin API lives and the key that calls it. */
export interface ApiTarget {
  url: string;
  apiKey: string;
}

/** Body of `POST /api/v1/keys` (SPEC §9). */
export interface CreateKeyBody {
  name?: string;
  scopeClass: 'project' | 'org';
  projectId?: string;
  scopes: string[];
  expiresAt?: string;
}

/** A fully validated command line. */
export type CliCommand =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'migrate' }
  | { name: 'projects list'; api: ApiTarget; json: boolean }
  | { name: 'projects create'; api: ApiTarget; json: boolean; projectName: string }
  | { name: 'keys list'; api: ApiTarget; json: boolean; projectId: string | null }
  | { name: 'keys create'; api: ApiTarget; json: boolean; body: CreateKeyBody }
  | { name: 'keys revoke'; api: ApiTarget; json: boolean; idOrPrefix: string }
  | { name: 'limits show'; api: ApiTarget; json: boolean; subject: LimitsSubject }
  | { name: 'limits set'; api: ApiTarget; json: boolean; subject: LimitsSubject; body: LimitsBody }
  | { name: 'traces list'; api: ApiTarget; json: boolean; query: URLSearchParams }
  | { name: 'traces show'; api: ApiTarget; json: boolean; traceId: string };

/** What the command line asked for, or the one-line reason it is wrong. */
export type ParsedCli =
  | { status: 'ok'; command: CliCommand }
  | { status: 'error'; message: string };

/** Environment and clock the parser reads; passed in so nothing else touches `process`. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
}

const OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  name: { type: 'string' },
  project: { type: 'string' },
  scopes: { type: 'string' },
  'scope-class': { type: 'string' },
  'expires-in': { type: 'string' },
  key: { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'tokens-per-minute': { type: 'string' },
  'usd-per-day': { type: 'string' },
  'usd-per-month': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  status: { type: 'string' },
  model: { type: 'string', multiple: true },
  provider: { type: 'string', multiple: true },
  session: { type: 'string' },
  service: { type: 'string' },
  user: { type: 'string' },
  env: { type: 'string' },
  q: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

const TRACE_LIST_OPTIONS: OptionName[] = [
  'since',
  'until',
  'status',
  'model',
  'provider',
  'session',
  'service',
  'user',
  'env',
  'q',
  'limit',
  'cursor',
];

type OptionName = keyof typeof OPTIONS;
type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

const API_OPTIONS: OptionName[] = ['url', 'api-key', 'json', 'help'];
const COMMAND_OPTIONS = new Map<string, OptionName[]>([
  ['projects list', API_OPTIONS],
  ['projects create', [...API_OPTIONS, 'name']],
  ['keys list', [...API_OPTIONS, 'project']],
  ['keys create', [...API_OPTIONS, 'project', 'scopes', 'scope-class', 'name', 'expires-in']],
  ['keys revoke', API_OPTIONS],
  ['limits show', [...API_OPTIONS, 'project', 'key']],
  [
    'limits set',
    [...API_OPTIONS, 'project', 'key', ...(Object.keys(LIMIT_OPTIONS) as OptionName[])],
  ],
  ['traces list', [...API_OPTIONS, ...TRACE_LIST_OPTIONS]],
  ['traces show', API_OPTIONS],
  ['migrate', ['help']],
]);
const SUBCOMMANDS = new Map([
  ['projects', ['list', 'create']],
  ['keys', ['list', 'create', 'revoke']],
  ['limits', ['show', 'set']],
  ['traces', ['list', 'show']],
]);

/** The commands that take one positional argument, and what a missing one is called. */
const ONE_ARGUMENT = new Map([
  ['keys revoke', 'the key id or prefix'],
  ['traces show', 'the trace id'],
]);

/** Parses `to11` arguments (without `node` and the script) into a command. */
export function parseCliArgs(argv: readonly string[], context: CliContext): ParsedCli {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return fail(parseArgsMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals[0] === 'help') {
    return { status: 'ok', command: { name: 'help' } };
  }
  if (values.version === true || (positionals[0] === 'version' && positionals.length === 1)) {
    return { status: 'ok', command: { name: 'version' } };
  }
  if (positionals.length === 0) return fail('missing command (see to11 --help)');

  const group = SUBCOMMANDS.get(positionals[0] ?? '');
  if (group !== undefined && positionals.length === 1) {
    return fail(`${positionals[0]} needs a subcommand: ${group.join(', ')} (see to11 --help)`);
  }
  const name = positionals[0] === 'migrate' ? 'migrate' : positionals.slice(0, 2).join(' ');
  const allowed = COMMAND_OPTIONS.get(name);
  if (allowed === undefined) return fail(`unknown command "${name}" (see to11 --help)`);
  const args = positionals.slice(name.split(' ').length);
  const expected = ONE_ARGUMENT.has(name) ? 1 : 0;
  if (args.length > expected) return fail(`${name}: unexpected argument "${args[expected]}"`);
  if (args.length < expected) return fail(`${name}: missing ${ONE_ARGUMENT.get(name)}`);
  for (const option of Object.keys(values)) {
    if (!allowed.some((known) => known === option))
      return fail(`${name} does not take --${option}`);
  }
  if (name === 'migrate') return { status: 'ok', command: { name: 'migrate' } };

  const api = apiTarget(values, context.env);
  if (typeof api === 'string') return fail(api);
  const json = values.json === true;
  switch (name) {
    case 'projects list':
      return { status: 'ok', command: { name, api, json } };
    case 'projects create': {
      const projectName = values.name?.trim() ?? '';
      if (projectName === '') return fail('projects create needs --name');
      return { status: 'ok', command: { name, api, json, projectName } };
    }
    case 'keys list':
      return { status: 'ok', command: { name, api, json, projectId: values.project ?? null } };
    case 'keys create': {
      const body = createKeyBody(values, context.now);
      if (typeof body === 'string') return fail(body);
      return { status: 'ok', command: { name, api, json, body } };
    }
    case 'limits show': {
      const subject = limitsSubject(name, values);
      if (typeof subject === 'string') return fail(subject);
      return { status: 'ok', command: { name, api, json, subject } };
    }
    case 'limits set': {
      const subject = limitsSubject(name, values);
      if (typeof subject === 'string') return fail(subject);
      const body = limitsBody(values);
      if (typeof body === 'string') return fail(body);
      return { status: 'ok', command: { name, api, json, subject, body } };
    }
    case 'traces list': {
      const query = traceListQuery(values, context.now);
      if (typeof query === 'string') return fail(query);
      return { status: 'ok', command: { name, api, json, query } };
    }
    case 'traces show': {
      const traceId = (args[0] ?? '').trim().toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(traceId))
        return fail(`traces show: the trace id must be 32 hex characters, got "${args[0]}"`);
      return { status: 'ok', command: { name, api, json, traceId } };
    }
    default:
      return {
        status: 'ok',
        command: { name: 'keys revoke', api, json, idOrPrefix: args[0] ?? '' },
      };
  }
}

function apiTarget(values: Values, env: CliContext['env']): ApiTarget | string {
  const source = values.url !== undefined ? '--url' : 'TO11_URL';
  const raw = values.url ?? nonEmpty(env.TO11_URL) ?? DEFAULT_CLI_URL;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    return `${source} must be an http(s) URL, got "${raw}"`;
  }
  const apiKey = values['api-key'] ?? nonEmpty(env.TO11_API_KEY);
  if (apiKey === undefined || apiKey === '')
    return 'no API key: pass --api-key or set TO11_API_KEY';
  return { url: raw.replace(/\/+$/, ''), apiKey };
}

function createKeyBody(values: Values, now: Date): CreateKeyBody | string {
  const scopeClass = values['scope-class'] ?? 'project';
  if (scopeClass !== 'project' && scopeClass !== 'org') {
    return `--scope-class must be project or org, got "${scopeClass}"`;
  }
  if (scopeClass === 'project' && values.project === undefined) {
    return 'keys create needs --project for a project key (or --scope-class org)';
  }
  if (scopeClass === 'org' && values.project !== undefined) {
    return '--project applies to project keys only; an org key reaches every project of its org';
  }
  const scopes = [...new Set((values.scopes ?? '').split(',').map((scope) => scope.trim()))].filter(
    (scope) => scope !== '',
  );
  if (scopes.length === 0) return `keys create needs --scopes (any of ${SCOPES.join(',')})`;
  const unknown = scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (unknown !== undefined) return `unknown scope "${unknown}" (expected ${SCOPES.join(', ')})`;

  const body: CreateKeyBody = { scopeClass, scopes };
  if (values.project !== undefined) body.projectId = values.project;
  if (values.name !== undefined) body.name = values.name;
  if (values['expires-in'] !== undefined) {
    const expiresAt = parseExpiresIn(values['expires-in'], now);
    if (expiresAt === null) {
      return `--expires-in must be a positive number with a unit s, m, h or d (e.g. 30d), got "${values['expires-in']}"`;
    }
    body.expiresAt = expiresAt.toISOString();
  }
  return body;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function fail(message: string): ParsedCli {
  return { status: 'error', message };
}

/** node:util's messages, cut to their first sentence: "Unknown option '--foo'". */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split(/\.\s/)[0] ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}
