import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openTestStore, storeTestEngines, type TestEngine } from '@to11/store/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, cleanUp, freePorts, runCommand, startProduct, tempDir } from './harness.ts';

const LISTENING = /^to11: collector OTLP\/HTTP and API listening on /;
const KEY_LINE = /^to11: bootstrap API key \(shown once\): /;
const BOOTSTRAP_KEY = 'to11_test_e2eBootstrapKey0123456789abcd';
const TOKEN_SECRET = 'e2e-token-secret-0123456789abcdef0123456789';

afterAll(() => cleanUp());

/** Listener ports chosen free, plus `extra`; `url` is the collector's HTTP address. */
async function productEnv(extra: Record<string, string>) {
  const [gateway = 0, grpc = 0, http = 0] = await freePorts(3);
  const env = cleanEnv({
    TO11_GATEWAY_PORT: String(gateway),
    TO11_COLLECTOR_GRPC_PORT: String(grpc),
    TO11_COLLECTOR_HTTP_PORT: String(http),
    ...extra,
  });
  return { env, url: `http://127.0.0.1:${http}` };
}

/** An empty store for one test: a temporary embedded dir, or a throwaway Postgres database. */
async function emptyStore(
  engine: TestEngine,
): Promise<{ env: Record<string, string>; dispose: () => Promise<void> }> {
  if (engine !== 'postgres') {
    const embedded = engine === 'pglite' ? 'pglite' : 'postgres';
    return {
      env: { TO11_DATA_DIR: tempDir(), TO11_EMBEDDED_ENGINE: embedded },
      dispose: async () => undefined,
    };
  }
  const test = await openTestStore('postgres');
  await test.store.close();
  return {
    env: { DATABASE_URL: test.databaseUrl ?? '', TO11_TOKEN_SECRET: TOKEN_SECRET },
    dispose: () => test.close(),
  };
}

/** Runs `to11 keys list` against `url` with `apiKey`; true when the key was accepted. */
async function keyWorks(url: string, apiKey: string): Promise<boolean> {
  const run = await runCommand(
    ['keys', 'list', '--json'],
    cleanEnv({ TO11_URL: url, TO11_API_KEY: apiKey }),
  );
  return run.code === 0 && Array.isArray(JSON.parse(run.stdout).keys);
}

describe.each(storeTestEngines())('the all-in-one on %s', (engine) => {
  it('prints a bootstrap key once, keeps it valid after a restart, and exits 0 on SIGINT and SIGTERM', async () => {
    const store = await emptyStore(engine);
    try {
      const first = await productEnv(store.env);
      const product = startProduct(first.env);
      const keyLine = await product.waitForLine(KEY_LINE);
      await product.waitForLine(LISTENING);
      const key = keyLine.slice(keyLine.lastIndexOf(' ') + 1);
      expect(key).toMatch(/^to11_test_[A-Za-z0-9]{20,64}$/);
      expect(await keyWorks(first.url, key)).toBe(true);
      process.kill(product.pid, 'SIGINT');
      expect(await product.exited).toEqual({ code: 0, signal: null });
      expect(product.stderr()).toBe('');

      const second = await productEnv(store.env);
      const restarted = startProduct(second.env);
      await restarted.waitForLine(LISTENING);
      expect(restarted.stdout()).not.toMatch(/bootstrap API key|to11_(live|test)_[A-Za-z0-9]{20}/);
      expect(await keyWorks(second.url, key)).toBe(true);
      process.kill(restarted.pid, 'SIGTERM');
      expect(await restarted.exited).toEqual({ code: 0, signal: null });
      expect(restarted.stdout()).toMatch(/^to11: stopped$/m);
    } finally {
      await store.dispose();
    }
  });

  it('uses TO11_BOOTSTRAP_API_KEY without printing it and keeps it across restarts', async () => {
    const store = await emptyStore(engine);
    try {
      for (const round of [1, 2]) {
        const { env, url } = await productEnv({
          ...store.env,
          TO11_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY,
        });
        const product = startProduct(env);
        await product.waitForLine(LISTENING);
        expect(product.stdout()).not.toMatch(/bootstrap API key|to11_(live|test)_[A-Za-z0-9]{20}/);
        expect(await keyWorks(url, BOOTSTRAP_KEY), `round ${round}`).toBe(true);
        process.kill(product.pid, 'SIGTERM');
        expect(await product.exited).toEqual({ code: 0, signal: null });
        expect(product.stderr()).toBe('');
      }
    } finally {
      await store.dispose();
    }
  });
});

describe('the all-in-one launcher', () => {
  it('rejects invalid configuration with one line naming the key, exit code 1', async () => {
    for (const [key, value] of [
      ['TO11_GATEWAY_PORT', 'not-a-port'],
      ['TO11_COLLECTOR_HTTP_PORT', '70000'],
      ['TO11_BOOTSTRAP_API_KEY', 'to11_prod_short'],
      ['DATABASE_URL', 'mysql://root:hunter2@db/x'],
      ['TO11_TOKEN_SECRET', ''],
      ['TO11_GATEWAY_WORKERS', '2'],
    ] as const) {
      const env = cleanEnv({ TO11_DATA_DIR: tempDir(), [key]: value });
      // Postgres without TO11_TOKEN_SECRET: the secret is required there (SPEC §2).
      if (key === 'TO11_TOKEN_SECRET')
        env.DATABASE_URL = 'postgres://postgres:hunter2@127.0.0.1:1/x';
      const product = startProduct(env);
      expect(await product.exited).toEqual({ code: 1, signal: null });
      expect(product.stderr()).toMatch(
        new RegExp(`^to11: invalid configuration: ${key}[^\\n]*\\n$`),
      );
      expect(product.stderr()).not.toContain('hunter2');
      expect(product.stdout()).toBe('');
    }
  });

  it('reports an unreachable DATABASE_URL in one line without the password', async () => {
    const [closed = 1] = await freePorts(1);
    const product = startProduct(
      cleanEnv({
        DATABASE_URL: `postgres://postgres:s3cretpw@127.0.0.1:${closed}/postgres`,
        TO11_TOKEN_SECRET: TOKEN_SECRET,
      }),
    );
    const exit = await product.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const stderr = product.stderr();
    expect(stderr).toMatch(/^to11: [^\n]*\n$/);
    expect(stderr).toContain(`postgres://postgres@127.0.0.1:${closed}/postgres`);
    expect(stderr).not.toContain('s3cretpw');
    expect(product.stdout()).not.toContain('s3cretpw');
  });

  it('reloads to11.toml on SIGHUP and on a file change, and keeps serving after an invalid one', async () => {
    const path = join(tempDir(), 'to11.toml');
    writeFileSync(path, '');
    const { env } = await productEnv({ TO11_DATA_DIR: tempDir(), TO11_CONFIG: path });
    const product = startProduct(env);
    await product.waitForLine(LISTENING);
    const gateway = `http://127.0.0.1:${env.TO11_GATEWAY_PORT}`;
    const metric = async (name: string) => {
      const text = await (await fetch(`${gateway}/metrics`)).text();
      const line = text.split('\n').find((row) => row.startsWith(`${name} `));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const until = async (check: () => Promise<boolean>) => {
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
        if (await check()) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    };
    try {
      expect(await metric('to11_config_generation')).toBe(1);
      process.kill(product.pid, 'SIGHUP');
      expect(await until(async () => (await metric('to11_config_generation')) === 2)).toBe(true);
      writeFileSync(path, '[defaults.provider]\ntimeout_ms = 30000\n');
      expect(await until(async () => (await metric('to11_config_generation')) === 3)).toBe(true);
      writeFileSync(path, '[defaults.provider]\ntimeout_ms = "soon"\n');
      expect(
        await until(async () => (await metric('to11_config_reload_failures_total')) === 1),
      ).toBe(true);
      expect(await metric('to11_config_generation')).toBe(3);
      expect((await fetch(`${gateway}/health`)).status).toBe(200);
      expect(product.stdout()).toMatch(/configuration reload refused[^\n]*timeout_ms/);
    } finally {
      process.kill(product.pid, 'SIGTERM');
    }
    expect(await product.exited).toEqual({ code: 0, signal: null });
  });

  it('reports a port already in use in one line and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const address = blocker.address();
    const busy = address !== null && typeof address === 'object' ? address.port : 0;
    try {
      const { env } = await productEnv({
        TO11_DATA_DIR: tempDir(),
        TO11_GATEWAY_PORT: String(busy),
      });
      const product = startProduct(env);
      expect(await product.exited).toEqual({ code: 1, signal: null });
      expect(product.stderr()).toMatch(
        /^to11: cannot start the gateway: [^\n]*EADDRINUSE[^\n]*\n$/,
      );
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});
