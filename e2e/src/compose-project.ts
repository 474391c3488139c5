/**
 * Runs infra/docker-compose.yml the way e2e/compose.test.ts needs it on this machine: with the
 * CI override (host network, the machine's Postgres), without the published ports that host
 * networking rejects (docker-compose 1.29 cannot remove them in an override), always torn down.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './product-process.ts';

const exec = promisify(execFile);

/** `<repo>/../shared/tools/docker-local.sh`: the engine and base-image stand-ins. */
export const DOCKER_LOCAL = resolve(REPO_ROOT, '../shared/tools/docker-local.sh');

/** The compose files, base first. */
export const COMPOSE_FILES = ['infra/docker-compose.yml', 'infra/docker-compose.ci.yml'];

/** A compose project started from the resolved configuration. */
export interface ComposeProject {
  /** `docker-compose <args>` on the resolved file, in the repository root. */
  compose(args: string[], timeoutMs?: number): Promise<string>;
  /** Resolves when every service's container reports `healthy`. */
  waitHealthy(services: string[], timeoutMs: number): Promise<void>;
  /** `down -v --remove-orphans`, then removes the resolved file; safe to call twice. */
  down(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  await new Promise((resolveClose) => server.close(resolveClose));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The `docker-compose config` output without its `ports:` blocks. */
export function withoutPublishedPorts(config: string): string {
  return config.replace(/^( +)ports:\n(?:\1- .*\n)+/gm, '');
}

/**
 * Resolves base + CI override with `env` (interpolation), drops the published ports, and
 * returns a handle whose `compose()` runs against that file under project name `project`.
 */
export async function resolveComposeProject(
  project: string,
  env: Record<string, string>,
): Promise<ComposeProject> {
  const fullEnv = { ...process.env, ...env };
  const files = COMPOSE_FILES.flatMap((file) => ['-f', file]);
  const { stdout } = await exec('docker-compose', [...files, 'config'], {
    cwd: REPO_ROOT,
    env: fullEnv,
  });
  const resolved = withoutPublishedPorts(stdout);
  if (/^\s+ports:/m.test(resolved)) throw new Error(`ports left in:\n${resolved}`);
  const dir = mkdtempSync(join(tmpdir(), 'to11-compose-'));
  const file = join(dir, 'docker-compose.resolved.yml');
  writeFileSync(file, resolved);

  const compose = async (args: string[], timeoutMs = 600_000) => {
    const result = await exec('docker-compose', ['-p', project, '-f', file, ...args], {
      cwd: REPO_ROOT,
      env: fullEnv,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return result.stdout;
  };

  const health = async (service: string) => {
    const id = (await compose(['ps', '-q', service])).trim();
    if (id === '') return 'missing';
    const { stdout: status } = await exec('docker', [
      'inspect',
      '-f',
      '{{.State.Health.Status}}',
      id,
    ]);
    return status.trim();
  };

  let isDown = false;
  return {
    compose,
    async waitHealthy(services, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(services.map(health));
        if (states.every((state) => state === 'healthy')) return;
        if (Date.now() > deadline) {
          const logs = await compose(['logs', '--no-color', '--tail', '40']).catch(String);
          throw new Error(`not healthy: ${services.map((s, i) => `${s}=${states[i]}`)}\n${logs}`);
        }
        await new Promise((resolveWait) => setTimeout(resolveWait, 500));
      }
    },
    async down() {
      if (isDown) return;
      isDown = true;
      await compose(['down', '-v', '--remove-orphans'], 120_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
