import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, cleanUp, freePorts, runCommand, startProduct, tempDir } from './harness.ts';

const LISTENING = /^to11: collector OTLP\/HTTP and API listening on /;
const KEY_LINE = /^to11: bootstrap API key \(shown once\): /;
// Each test starts the all-in-one twice; a first PGlite start took up to 30 s on a loaded machine.

afterAll(() => cleanUp());

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { port: address !== null && typeof address === 'object' ? address.port : 0, server };
}

async function listenerEnv(extra: Record<string, string>): Promise<Record<string, string>> {
  const [gateway = 0, grpc = 0, http = 0] = await freePorts(3);
  return cleanEnv({
    TO11_GATEWAY_PORT: String(gateway),
    TO11_COLLECTOR_GRPC_PORT: String(grpc),
    TO11_COLLECTOR_HTTP_PORT: String(http),
    ...extra,
  });
}

describe('a first start', () => {
  it('that fails on a busy gateway port keeps the bootstrap key for the next good start, which prints the pid to stop', async () => {
    const dataDir = tempDir();
    const busy = await occupiedPort();
    try {
      const failed = startProduct(
        await listenerEnv({ TO11_DATA_DIR: dataDir, TO11_GATEWAY_PORT: String(busy.port) }),
      );
      expect(await failed.exited).toEqual({ code: 1, signal: null });
      expect(failed.stderr()).toMatch(/^to11: cannot start the gateway: [^\n]*EADDRINUSE[^\n]*\n$/);
      expect(failed.stdout()).not.toMatch(/bootstrap API key|to11_(live|test)_/);
    } finally {
      await new Promise((done) => busy.server.close(done));
    }

    const env = await listenerEnv({ TO11_DATA_DIR: dataDir });
    const good = startProduct(env);
    const keyLine = await good.waitForLine(KEY_LINE);
    await good.waitForLine(LISTENING);
    expect(await good.waitForLine(/^to11: running as pid /)).toBe(
      `to11: running as pid ${good.pid}; stop with Ctrl-C or kill -TERM ${good.pid}`,
    );
    const key = keyLine.slice(keyLine.lastIndexOf(' ') + 1);
    const listed = await runCommand(
      ['keys', 'list', '--json'],
      cleanEnv({ TO11_URL: `http://127.0.0.1:${env.TO11_COLLECTOR_HTTP_PORT}`, TO11_API_KEY: key }),
    );
    expect(listed.code, listed.stderr).toBe(0);
    process.kill(good.pid, 'SIGTERM');
    expect(await good.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('recovers a lost key: TO11_BOOTSTRAP_API_KEY on a later start adds that key, unprinted', async () => {
    const dataDir = tempDir();
    const first = startProduct(await listenerEnv({ TO11_DATA_DIR: dataDir }));
    await first.waitForLine(KEY_LINE);
    process.kill(first.pid, 'SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const chosen = 'to11_test_recoveredKey0123456789abcdef';
    const env = await listenerEnv({ TO11_DATA_DIR: dataDir, TO11_BOOTSTRAP_API_KEY: chosen });
    const later = startProduct(env);
    await later.waitForLine(LISTENING);
    expect(later.stdout()).not.toMatch(/bootstrap API key|to11_(live|test)_/);
    const listed = await runCommand(
      ['keys', 'list', '--json'],
      cleanEnv({
        TO11_URL: `http://127.0.0.1:${env.TO11_COLLECTOR_HTTP_PORT}`,
        TO11_API_KEY: chosen,
      }),
    );
    expect(listed.code, listed.stderr).toBe(0);
    const { keys } = JSON.parse(listed.stdout) as { keys: { name: string | null }[] };
    expect(keys.map((key) => key.name)).toEqual(['bootstrap', 'bootstrap']);
    process.kill(later.pid, 'SIGTERM');
    expect(await later.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});

describe('the to11 command', () => {
  it('prints the version of apps/cli/package.json for -v and --version', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const flag of ['-v', '--version']) {
      expect(await runCommand([flag], cleanEnv({}))).toEqual({
        code: 0,
        stdout: `to11 ${version}\n`,
        stderr: '',
      });
    }
  });
});
