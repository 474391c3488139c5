import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env,
    cwd: process.cwd(),
    now: () => new Date('2025-01-01T00:00:00Z'),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A loopback port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('runCli', () => {
  it('prints the help on stdout and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('to11 keys create');
    expect(result.stderr).toBe('');
  });

  it('prints the version of package.json for --version, -v and version, and exits 0', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const argv of [['--version'], ['-v'], ['version']]) {
      const result = await run(argv);
      expect(result, argv.join(' ')).toEqual({ code: 0, stdout: `to11 ${version}\n`, stderr: '' });
    }
  });

  it('reports a bad command line as one stderr line and exit code 1', async () => {
    const result = await run(['keys', 'create', '--scopes', 'admin'], { TO11_API_KEY: 'k' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^to11: keys create needs --project[^\n]*\n$/);
  });

  it('names the URL it cannot reach in one line and never the API key', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const apiKey = 'to11_test_doNotPrintThisKeyAnywhere00';
    const result = await run(['projects', 'list', '--url', url], { TO11_API_KEY: apiKey });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`to11: cannot reach ${url}: connect ECONNREFUSED ${url.slice(7)}\n`);
  });
});
