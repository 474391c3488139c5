/**
 * A throwaway Redis Cluster for tests (`@to11/store/testing`): three masters, no replicas, on
 * free loopback ports, keeping nothing on disk; started with the machine's `redis-server` and
 * `redis-cli --cluster create`, and stopped by PID.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running cluster. */
export interface TestRedisCluster {
  /** `127.0.0.1:<port>` of each master, the value of `REDIS_CLUSTER_NODES` once joined. */
  nodes: string[];
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1 (its cluster bus port, +10000, must be free too). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port > 0 && port + 10_000 < 65_536) return port;
  }
}

async function ping(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

async function clusterOk(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
    return stdout.includes('cluster_state:ok');
  } catch {
    return false;
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`redis cluster: ${what} timed out`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(child.pid as number, 'SIGTERM');
  });
}

/** Starts three cluster-enabled `redis-server`s and joins them into one cluster. */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'to11-redis-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      let port = await freePort();
      while (ports.includes(port)) port = await freePort();
      ports.push(port);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${i}.conf`),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const port of ports) await until(() => ping(port), `node ${port} start`);
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) await until(() => clusterOk(port), `cluster state on ${port}`);
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
