import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliRun,
  cleanEnv,
  cleanUp,
  freePorts,
  type Product,
  runCommand,
  startProduct,
  tempDir,
} from './harness.ts';

let product: Product;
let env: Record<string, string>;
let bootstrapKey: string;
let defaultProjectId: string;
let httpPort: number;

/** Runs the CLI against the product with the bootstrap key unless `--api-key` says otherwise. */
function to11(...args: string[]): Promise<CliRun> {
  return runCommand(args, env);
}

function parseJson(run: CliRun): unknown {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

beforeAll(async () => {
  const [gatewayPort = 0, grpcPort = 0, port = 0] = await freePorts(3);
  httpPort = port;
  product = startProduct(
    cleanEnv({
      TO11_DATA_DIR: tempDir(),
      TO11_GATEWAY_PORT: String(gatewayPort),
      TO11_COLLECTOR_GRPC_PORT: String(grpcPort),
      TO11_COLLECTOR_HTTP_PORT: String(httpPort),
    }),
  );
  await product.waitForLine(/^to11: collector OTLP\/HTTP and API listening on /);
  const keyLine = await product.waitForLine(/^to11: bootstrap API key \(shown once\): /);
  bootstrapKey = keyLine.slice(keyLine.lastIndexOf(' ') + 1);
  env = cleanEnv({ TO11_URL: `http://127.0.0.1:${httpPort}`, TO11_API_KEY: bootstrapKey });
  const listed = JSON.parse((await to11('projects', 'list', '--json')).stdout) as {
    projects: { id: string; name: string }[];
  };
  defaultProjectId = listed.projects.find((project) => project.name === 'default')?.id ?? '';
});

afterAll(() => cleanUp());

describe('the all-in-one on an empty data dir', () => {
  it('prints one line per listener with the configured ports', () => {
    const lines = product.stdout().split('\n');
    expect(
      lines.filter((line) => line.startsWith('to11: ') && line.includes(' listening on ')),
    ).toEqual([
      expect.stringMatching(/^to11: gateway listening on http:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^to11: collector OTLP\/gRPC listening on http:\/\/127\.0\.0\.1:\d+$/),
      `to11: collector OTLP/HTTP and API listening on http://127.0.0.1:${httpPort}`,
    ]);
  });

  it('prints the bootstrap key once on stdout and nowhere else', () => {
    expect(bootstrapKey).toMatch(/^to11_test_[A-Za-z0-9]{20,64}$/);
    expect(product.stdout().split(bootstrapKey)).toHaveLength(2);
    expect(product.stderr()).not.toContain(bootstrapKey);
  });
});

describe('to11 projects', () => {
  it('lists the default project as JSON and as a table', async () => {
    const json = parseJson(await to11('projects', 'list', '--json')) as {
      projects: { id: string; name: string }[];
    };
    expect(json.projects).toContainEqual({
      id: defaultProjectId,
      name: 'default',
      createdAt: expect.any(String),
    });
    expect(defaultProjectId).toMatch(/^proj_/);

    const table = await to11('projects', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+CREATED\n/);
    expect(table.stdout).toMatch(new RegExp(`^${defaultProjectId}\\s+default\\s+\\d{4}-`, 'm'));
  });

  it('creates a project that the list then shows', async () => {
    const created = parseJson(await to11('projects', 'create', '--name', 'web', '--json')) as {
      id: string;
      name: string;
      createdAt: string;
    };
    expect(created).toEqual({
      id: expect.stringMatching(/^proj_/),
      name: 'web',
      createdAt: expect.any(String),
    });
    const table = await to11('projects', 'create', '--name', 'batch jobs');
    expect(table.stdout).toMatch(/^proj_\S+\s+batch jobs\s+/m);
    const list = await to11('projects', 'list');
    expect(list.stdout).toContain(created.id);
    expect(list.stdout).toContain('batch jobs');
  });

  it('prints only the JSON through pnpm --silent to11', async () => {
    const run = await runCommand(['--silent', 'to11', 'projects', 'list', '--json'], env, ['pnpm']);
    expect((parseJson(run) as { projects: unknown[] }).projects.length).toBeGreaterThanOrEqual(1);
  });
});

describe('to11 keys', () => {
  it('creates, lists and revokes a key, after which the key is rejected', async () => {
    const created = parseJson(
      await to11(
        'keys',
        'create',
        '--project',
        defaultProjectId,
        '--scopes',
        'admin,traces:read',
        '--name',
        'ops',
        '--json',
      ),
    ) as {
      id: string;
      key: string;
      name: string;
      prefix: string;
      scopes: string[];
      projectId: string;
    };
    expect(created.projectId).toBe(defaultProjectId);
    expect(created.name).toBe('ops');
    const shown = await to11(
      'keys',
      'create',
      '--project',
      defaultProjectId,
      '--scopes',
      'traces:read',
      '--name',
      'web-app',
    );
    expect(shown.stdout).toMatch(/^ID\s+PREFIX\s+NAME\s+/);
    expect(shown.stdout).toMatch(/^key_\S+\s+\S+\s+web-app\s+project\s+/m);
    expect([...created.scopes].sort()).toEqual(['admin', 'traces:read']);
    expect(created.key).toMatch(/^to11_(live|test)_/);

    const withNewKey = await to11('projects', 'list', '--api-key', created.key, '--json');
    expect(parseJson(withNewKey)).toHaveProperty('projects');

    const table = await to11('keys', 'list', '--project', defaultProjectId);
    expect(table.stdout).toMatch(
      new RegExp(`^${created.id}\\s+${created.prefix}\\s+ops\\s+project\\s+`, 'm'),
    );
    expect(table.stdout).not.toContain(created.key);
    const listed = parseJson(await to11('keys', 'list', '--json')) as { keys: { id: string }[] };
    expect(listed.keys.map((key) => key.id)).toContain(created.id);

    const revoked = await to11('keys', 'revoke', created.prefix);
    expect(revoked).toEqual({ code: 0, stdout: `Revoked key ${created.prefix}\n`, stderr: '' });

    const rejected = await to11('projects', 'list', '--api-key', created.key);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toBe('');
    expect(rejected.stderr).toMatch(/^to11: 401 auth: [^\n]+\n$/);
    expect(rejected.stderr).not.toContain(created.key);
    const after = await to11('keys', 'list');
    expect(after.stdout).toMatch(new RegExp(`^${created.id}\\s.*revoked$`, 'm'));
  });

  it('creates a gateway key with an expiry, shown with its secret once, revocable by id', async () => {
    const run = await to11(
      'keys',
      'create',
      '--project',
      defaultProjectId,
      '--scopes',
      'gateway:invoke',
      '--expires-in',
      '1h',
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const secret = lines.at(-1)?.split(': ')[1] ?? '';
    expect(secret).toMatch(/^to11_(live|test)_/);
    const row = lines[1] ?? '';
    const id = row.split(/\s+/)[0] ?? '';
    const expires = Date.parse(
      `${row.match(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/)?.[0].replace(' ', 'T')}`,
    );
    expect(Math.abs(expires - (Date.now() + 3_600_000))).toBeLessThan(120_000);

    expect((await to11('keys', 'revoke', id, '--json')).stdout).toBe('');
    const again = await to11('keys', 'revoke', 'key_doesnotexist');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^to11: 404 not_found: [^\n]+\n$/);
  });

  it('creates an org key without a project', async () => {
    const created = parseJson(
      await to11('keys', 'create', '--scope-class', 'org', '--scopes', 'traces:read', '--json'),
    );
    expect(created).toMatchObject({ scopeClass: 'org', projectId: null, scopes: ['traces:read'] });
  });

  it('reports a key without the admin scope as one 403 line', async () => {
    const created = parseJson(
      await to11(
        'keys',
        'create',
        '--project',
        defaultProjectId,
        '--scopes',
        'otel:write',
        '--json',
      ),
    ) as { key: string };
    const run = await to11('keys', 'list', '--api-key', created.key);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^to11: 403 forbidden: [^\n]+\n$/);
  });

  it('reports an invalid API key as one 401 line', async () => {
    const run = await to11('keys', 'list', '--api-key', 'to11_test_thisKeyDoesNotExist0000000');
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^to11: 401 auth: [^\n]+\n$/),
    });
  });
});

describe('to11 traces', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const now = BigInt(Date.now()) * 1_000_000n;
  const ns = (ms: number) => String(now + BigInt(ms) * 1_000_000n);
  const attr = (key: string, value: string | number) => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  });

  beforeAll(async () => {
    // One app trace through OTLP/HTTP JSON: a root, a chat call with usage, a failing tool run.
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'cli-e2e')] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: '00f067aa0ba902b7',
                  name: 'answer-question',
                  kind: 1,
                  startTimeUnixNano: ns(0),
                  endTimeUnixNano: ns(400),
                  attributes: [attr('gen_ai.conversation.id', 'cli-session')],
                },
                {
                  traceId,
                  spanId: '00f067aa0ba902b8',
                  parentSpanId: '00f067aa0ba902b7',
                  name: 'chat gpt-4o-mini',
                  kind: 3,
                  startTimeUnixNano: ns(10),
                  endTimeUnixNano: ns(300),
                  attributes: [
                    attr('gen_ai.operation.name', 'chat'),
                    attr('gen_ai.provider.name', 'openai'),
                    attr('gen_ai.request.model', 'gpt-4o-mini'),
                    attr('gen_ai.usage.input_tokens', 12),
                    attr('gen_ai.usage.output_tokens', 8),
                  ],
                },
                {
                  traceId,
                  spanId: '00f067aa0ba902b9',
                  parentSpanId: '00f067aa0ba902b7',
                  name: 'execute_tool weather',
                  kind: 1,
                  startTimeUnixNano: ns(310),
                  endTimeUnixNano: ns(390),
                  status: { code: 2, message: 'weather service timed out' },
                  attributes: [attr('gen_ai.operation.name', 'execute_tool')],
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(`${env.TO11_URL}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    for (let attempt = 0; attempt < 50; attempt++) {
      const run = await to11('traces', 'show', traceId, '--json');
      if (run.code === 0 && (JSON.parse(run.stdout) as { spans: unknown[] }).spans.length === 3)
        return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error('the trace did not become readable');
  });

  it('lists the trace as a table and as the API JSON, with filters narrowing it', async () => {
    const table = await to11('traces', 'list', '--since', '1h');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^TIME\s+TRACE\s+STATUS/);
    expect(table.stdout).toMatch(
      new RegExp(
        `^\\S+ \\S+\\s+${traceId}\\s+error\\s+400 ms\\s+openai/gpt-4o-mini\\s+12\\s+8\\s`,
        'm',
      ),
    );
    const json = parseJson(
      await to11('traces', 'list', '--since', '1h', '--model', 'gpt-4o-mini', '--json'),
    ) as { traces: { traceId: string; inputTokens: number }[]; nextCursor: string | null };
    expect(json.traces.map((trace) => trace.traceId)).toEqual([traceId]);
    expect(json.traces[0]?.inputTokens).toBe(12);

    const none = await to11('traces', 'list', '--since', '1h', '--model', 'no-such-model');
    expect(none.stdout).toBe('No traces match (widen --since or drop a filter).\n');
    const okOnly = parseJson(await to11('traces', 'list', '--status', 'ok', '--json')) as {
      traces: unknown[];
    };
    expect(okOnly.traces).toEqual([]);
  });

  it('shows the span tree with durations, model, tokens and the error', async () => {
    const run = await to11('traces', 'show', traceId.toUpperCase());
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      `Trace ${traceId}  1 error  400 ms  3 spans  12 in / 8 out  -`,
      '',
      'answer-question  400 ms  app',
      '  chat gpt-4o-mini  290 ms  app  openai/gpt-4o-mini  12 in / 8 out',
      '  execute_tool weather  80 ms  app  ERROR: weather service timed out',
      '',
    ]);
  });

  it('reports an unknown trace and a bad flag as one line', async () => {
    const missing = await to11('traces', 'show', 'f'.repeat(32));
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^to11: 404 not_found: [^\n]+\n$/),
    });
    const bad = await to11('traces', 'list', '--since', 'yesterday');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^to11: --since must be a duration/);
  });
});
