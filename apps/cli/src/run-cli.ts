import { createAdminClient } from './admin-client.ts';
import { type CliCommand, parseCliArgs } from './cli-args.ts';
import { HELP, VERSION_LINE } from './cli-help.ts';
import { formatCreatedKey, formatKeys, formatLimits, formatProjects } from './cli-output.ts';
import { formatTraceList, formatTraceTree } from './traces-output.ts';

/** Everything the CLI reads from or writes to the world, injected by `to11.ts` and by tests. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Base of a relative TO11_DATA_DIR (`to11 migrate`). */
  cwd: string;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: typeof fetch;
  /** Runs `to11 migrate`; loaded lazily so API commands never load the store. */
  migrate?: (env: Readonly<Record<string, string | undefined>>, cwd: string) => Promise<string[]>;
}

/**
 * Runs one `to11` command line and returns its exit code: 0 on success; 1 with exactly one
 * `to11: …` line on stderr on any expected failure (bad arguments, unreachable server, an
 * error answer). Unexpected errors are reported the same way, without a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCliArgs(argv, { env: io.env, now: io.now() });
  if (parsed.status === 'error') {
    io.stderr(`to11: ${parsed.message}\n`);
    return 1;
  }
  try {
    const lines = await execute(parsed.command, io);
    if (lines !== '') io.stdout(lines.endsWith('\n') ? lines : `${lines}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`to11: ${firstLine(message)}\n`);
    return 1;
  }
}

async function execute(command: CliCommand, io: CliIo): Promise<string> {
  switch (command.name) {
    case 'help':
      return HELP;
    case 'version':
      return VERSION_LINE;
    case 'migrate': {
      const migrate = io.migrate ?? (await import('./migrate-command.ts')).runMigrate;
      return (await migrate(io.env, io.cwd)).join('\n');
    }
    case 'projects list': {
      const answer = await createAdminClient(command.api, io.fetch).listProjects();
      return command.json ? answer.raw : formatProjects(answer.data.projects);
    }
    case 'projects create': {
      const answer = await createAdminClient(command.api, io.fetch).createProject(
        command.projectName,
      );
      return command.json ? answer.raw : formatProjects([answer.data]);
    }
    case 'keys list': {
      const answer = await createAdminClient(command.api, io.fetch).listKeys(command.projectId);
      return command.json ? answer.raw : formatKeys(answer.data.keys, io.now());
    }
    case 'keys create': {
      const answer = await createAdminClient(command.api, io.fetch).createKey(command.body);
      return command.json ? answer.raw : formatCreatedKey(answer.data, io.now());
    }
    case 'traces list': {
      const answer = await createAdminClient(command.api, io.fetch).listTraces(command.query);
      return command.json
        ? answer.raw
        : formatTraceList(answer.data.traces, answer.data.nextCursor);
    }
    case 'traces show': {
      const answer = await createAdminClient(command.api, io.fetch).getTrace(command.traceId);
      return command.json ? answer.raw : formatTraceTree(answer.data.traceId, answer.data.spans);
    }
    case 'keys revoke': {
      await createAdminClient(command.api, io.fetch).revokeKey(command.idOrPrefix);
      // 204 carries no JSON, so --json prints nothing.
      return command.json ? '' : `Revoked key ${command.idOrPrefix}`;
    }
    case 'limits show': {
      const answer = await createAdminClient(command.api, io.fetch).showLimits(command.subject);
      return command.json ? answer.raw : formatLimits(answer.data);
    }
    case 'limits set': {
      const client = createAdminClient(command.api, io.fetch);
      const answer = await client.setLimits(command.subject, command.body);
      return command.json ? answer.raw : formatLimits(answer.data);
    }
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim() || 'unexpected error';
}
