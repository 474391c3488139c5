import { describe, expect, it } from 'vitest';
import { type CliCommand, type CliContext, parseCliArgs } from './cli-args.ts';

const now = new Date('2025-01-01T00:00:00.000Z');
const env: CliContext['env'] = { TO11_API_KEY: 'to11_test_envkeyenvkeyenvkeyenvkey' };

function parse(argv: string[], context: CliContext = { env, now }): CliCommand {
  const parsed = parseCliArgs(argv, context);
  if (parsed.status === 'error') throw new Error(`unexpected parse error: ${parsed.message}`);
  return parsed.command;
}

function error(argv: string[], context: CliContext = { env, now }): string {
  const parsed = parseCliArgs(argv, context);
  if (parsed.status === 'ok') throw new Error(`expected an error for ${argv.join(' ')}`);
  return parsed.message;
}

describe('parseCliArgs', () => {
  it('reads the URL and API key from TO11_URL and TO11_API_KEY with the documented default URL', () => {
    expect(parse(['projects', 'list'])).toEqual({
      name: 'projects list',
      api: { url: 'http://127.0.0.1:4318', apiKey: env.TO11_API_KEY },
      json: false,
    });
    const fromEnv = parse(['projects', 'list'], {
      env: { TO11_URL: 'http://collector:9000/', TO11_API_KEY: 'k' },
      now,
    });
    expect(fromEnv).toMatchObject({ api: { url: 'http://collector:9000', apiKey: 'k' } });
  });

  it('lets --url and --api-key override the environment, anywhere on the line', () => {
    const command = parse([
      '--url',
      'https://x.test',
      'keys',
      'list',
      '--api-key',
      'flag',
      '--json',
    ]);
    expect(command).toEqual({
      name: 'keys list',
      api: { url: 'https://x.test', apiKey: 'flag' },
      json: true,
      projectId: null,
    });
  });

  it('builds a project key body with scopes, name and an expiry counted from now', () => {
    const command = parse([
      'keys',
      'create',
      '--project',
      'proj_a',
      '--scopes',
      'gateway:invoke, otel:write,gateway:invoke',
      '--name',
      'ci',
      '--expires-in',
      '30d',
    ]);
    expect(command).toMatchObject({
      name: 'keys create',
      body: {
        scopeClass: 'project',
        projectId: 'proj_a',
        scopes: ['gateway:invoke', 'otel:write'],
        name: 'ci',
        expiresAt: '2025-01-31T00:00:00.000Z',
      },
    });
  });

  it('builds an org key body without a project', () => {
    const command = parse(['keys', 'create', '--scope-class', 'org', '--scopes', 'traces:read']);
    expect(command).toMatchObject({ body: { scopeClass: 'org', scopes: ['traces:read'] } });
    expect(command).not.toHaveProperty('body.projectId');
  });

  it('passes the project filter of keys list and the target of keys revoke', () => {
    expect(parse(['keys', 'list', '--project', 'proj_b'])).toMatchObject({ projectId: 'proj_b' });
    expect(parse(['keys', 'revoke', 'abcd1234'])).toMatchObject({ idOrPrefix: 'abcd1234' });
    expect(parse(['projects', 'create', '--name', ' web '])).toMatchObject({ projectName: 'web' });
  });

  it('answers help for --help, -h and help, and migrate without needing an API key', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['keys', 'create', '--help']]) {
      expect(parse(argv, { env: {}, now })).toEqual({ name: 'help' });
    }
    expect(parse(['migrate'], { env: {}, now })).toEqual({ name: 'migrate' });
  });

  it('explains each invalid command line in one line', () => {
    expect(error([])).toBe('missing command (see to11 --help)');
    expect(error(['keys', 'rotate'])).toBe('unknown command "keys rotate" (see to11 --help)');
    expect(error(['constructor'])).toBe('unknown command "constructor" (see to11 --help)');
    expect(error(['keys'])).toBe('keys needs a subcommand: list, create, revoke (see to11 --help)');
    expect(error(['projects', 'list', '--bogus'])).toBe("unknown option '--bogus'");
    expect(error(['projects', 'create', '--name'])).toBe(
      "option '--name <value>' argument missing",
    );
    expect(error(['projects', 'create'])).toBe('projects create needs --name');
    expect(error(['projects', 'list', '--scopes', 'admin'])).toBe(
      'projects list does not take --scopes',
    );
    expect(error(['keys', 'revoke'])).toBe('keys revoke: missing the key id or prefix');
    expect(error(['keys', 'revoke', 'a', 'b'])).toBe('keys revoke: unexpected argument "b"');
    expect(error(['migrate', '--json'])).toBe('migrate does not take --json');
    for (const message of [error(['keys', 'create', '--scopes', 'admin'])]) {
      expect(message).toMatch(/--project/);
    }
  });

  it('rejects bad scopes, scope classes, expiries and URLs, and a missing API key', () => {
    const create = ['keys', 'create', '--project', 'p'];
    expect(error([...create])).toMatch(/needs --scopes/);
    expect(error([...create, '--scopes', 'admin,root'])).toMatch(/unknown scope "root"/);
    expect(error([...create, '--scopes', 'admin', '--scope-class', 'team'])).toMatch(
      /project or org/,
    );
    expect(
      error(['keys', 'create', '--scope-class', 'org', '--project', 'p', '--scopes', 'admin']),
    ).toMatch(/project keys only/);
    for (const expiry of ['30', '0d', '1w', '-1d', '1.5h']) {
      expect(error([...create, '--scopes', 'admin', '--expires-in', expiry])).toMatch(
        /--expires-in/,
      );
    }
    expect(error(['projects', 'list', '--url', 'ftp://x'])).toMatch(
      /^--url must be an http\(s\) URL/,
    );
    expect(error(['projects', 'list'], { env: {}, now })).toBe(
      'no API key: pass --api-key or set TO11_API_KEY',
    );
  });
});
