import cliPackage from '../package.json' with { type: 'json' };

/** `to11 --version` / `-v`: the CLI package's version (bundled in from package.json). */
export const VERSION_LINE = `to11 ${cliPackage.version}`;

/** `to11 --help`: every command, option and environment variable of the CLI (SPEC §9). */
import { DEFAULT_CLI_URL, DEFAULT_DATA_DIR } from '@to11/config';

export const HELP = `to11: manage the projects and API keys of a running to11, read its traces

Usage:
  to11 projects list
  to11 projects create --name NAME
  to11 keys list [--project PROJECT_ID]
  to11 keys create [--project PROJECT_ID] --scopes SCOPE[,SCOPE...]
                   [--scope-class project|org] [--name NAME] [--expires-in 30d]
  to11 keys revoke KEY_ID_OR_PREFIX
  to11 limits show (--project PROJECT_ID | --key KEY_ID)
  to11 limits set (--project PROJECT_ID | --key KEY_ID) [--requests-per-minute N]
                  [--tokens-per-minute N] [--usd-per-day USD] [--usd-per-month USD]
  to11 traces list [--since 8h] [--until T] [--status ok|error] [--model M]... [--provider P]...
                   [--session ID] [--service NAME] [--user ID] [--env ENV] [--q TEXT]
                   [--limit N] [--cursor C]
  to11 traces show TRACE_ID
  to11 migrate

Commands other than migrate call the admin API of the collector (an API key with the admin
scope); traces list and show call its read API (a key with traces:read, scoped to its project). migrate opens the store directly (DATABASE_URL, else embedded PGlite in TO11_DATA_DIR,
default ${DEFAULT_DATA_DIR}) and applies pending migrations.

Options:
  --url URL          collector HTTP address (env TO11_URL, default ${DEFAULT_CLI_URL})
  --api-key KEY      API key with the admin scope, or traces:read for traces (env TO11_API_KEY)
  --json             print only the API's JSON answer
  --project ID       project of the key (required for project keys; a filter for keys list)
  --scopes LIST      comma-separated: gateway:invoke, otel:write, traces:read, admin
  --scope-class C    project (default, bound to --project) or org (every project of the org)
  --name NAME        name of the project or key
  --expires-in N     key lifetime: a number with s, m, h or d (e.g. 90s, 12h, 30d)
  --key ID           the API key whose limits limits show/set reads or writes
  --requests-per-minute N, --tokens-per-minute N, --usd-per-day USD, --usd-per-month USD
                     limits set: the new limit, or none to clear it
  --since, --until  a duration back from now (30m, 8h, 7d), RFC 3339 or epoch ms
  --status S         ok or error
  --model M          a model; repeat for any of several (--provider likewise)
  --session ID       gen_ai.session.id; --user, --env, --service: user id, environment, service
  --q TEXT           a trace id (or 8+ hex prefix), a span name or text in prompts and answers
  --limit N          traces per page, 1 to 500 (default 50); --cursor C: the next page
  -h, --help         show this help
  -v, --version      print the version

Errors print one line on stderr and exit with code 1.
`;
