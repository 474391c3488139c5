/**
 * Span forwarding follows a live reload of to11.toml: `[[export.otlp]]` added to a running
 * gateway starts forwarding, a changed endpoint moves it, a removed one stops it, and the
 * `to11_export_*` counters of every endpoint keep their totals across the swaps. The receivers
 * are real OTLP/HTTP endpoints (Node HTTP servers answering 200) that record every export's body.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReloader, loadGatewayConfig, type StartedGateway } from '../src/index.ts';
import { type Harness, PROVIDER_KEY, startHarness, traceIdOf } from './harness.ts';

/** An OTLP/HTTP receiver keeping each export's body. */
async function receiver(): Promise<{ server: Server; url: string; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/v1/traces`, bodies };
}

/** Whether an export body carries the trace id (protobuf holds it as 16 raw bytes). */
const carries = (bodies: Buffer[], traceId: string) =>
  bodies.some((body) => body.includes(Buffer.from(traceId, 'hex')));

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The value of the series `name{labels}` of a `/metrics` document (0 when absent). */
function seriesValue(text: string, series: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe.each(testEngines())('span forwarding on a live reload on %s', (engine) => {
  let h: Harness;
  let gateway: StartedGateway;
  let reloader: ConfigReloader;
  let dir: string;
  let path: string;
  let client: OpenAI;
  const receivers: Awaited<ReturnType<typeof receiver>>[] = [];

  beforeAll(async () => {
    h = await startHarness(engine);
    dir = mkdtempSync(join(tmpdir(), 'to11-forward-reload-'));
    path = join(dir, 'to11.toml');
    writeFileSync(path, '');
    const env = {
      TO11_GATEWAY_PORT: '0',
      TO11_OPENAI_BASE_URL: `${h.fake.origin}/v1`,
      TO11_CONFIG: path,
    };
    gateway = await h.startGateway(env);
    reloader = new ConfigReloader({
      env,
      current: loadGatewayConfig(env),
      apply: (config) => gateway.applyConfig(config),
      logger: pino({ level: 'silent' }),
      metrics: gateway.metrics,
    });
    client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
      maxRetries: 0,
    });
    receivers.push(await receiver(), await receiver());
  });
  afterAll(async () => {
    reloader?.close();
    await h?.close();
    for (const { server } of receivers) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One call through the gateway; its trace id once both its spans are stored. */
  async function call(): Promise<string> {
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const traceId = traceIdOf(response.headers.get('traceparent'));
    expect(await h.spans(traceId, 2)).toHaveLength(2);
    return traceId;
  }

  const exportTo = (url: string | undefined) => {
    writeFileSync(path, url === undefined ? '' : `[[export.otlp]]\nendpoint = "${url}"\n`);
    expect(reloader.reload('test').status).toBe('applied');
  };
  const metrics = async () => (await fetch(`${gateway.url}/metrics`)).text();
  const exported = (text: string, url: string) =>
    seriesValue(text, `to11_export_spans_total{endpoint="${url}"}`);

  it('starts, moves and stops forwarding without a restart, keeping the counters', async () => {
    const [a, b] = receivers as [(typeof receivers)[0], (typeof receivers)[0]];
    // Nothing configured at start: nothing forwarded, no to11_export_* series.
    const before = await call();
    expect(await metrics()).not.toContain('to11_export_spans_total');

    exportTo(a.url);
    const first = await call();
    await until(() => carries(a.bodies, first), 'the call forwarded to the first endpoint');
    expect(carries(a.bodies, before)).toBe(false);
    await until(async () => exported(await metrics(), a.url) === 2, 'two spans counted');

    exportTo(b.url);
    const second = await call();
    await until(() => carries(b.bodies, second), 'the call forwarded to the second endpoint');
    expect(carries(a.bodies, second)).toBe(false);
    await until(async () => exported(await metrics(), b.url) === 2, 'two more spans counted');
    const afterSecond = await metrics();
    expect(exported(afterSecond, a.url)).toBe(2);
    expect(exported(afterSecond, b.url)).toBe(2);

    exportTo(undefined);
    const third = await call();
    // The forwarder batches for 500 ms: give a third export time to happen if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(carries(a.bodies, third) || carries(b.bodies, third)).toBe(false);
    const afterThird = await metrics();
    expect(exported(afterThird, a.url)).toBe(2);
    expect(exported(afterThird, b.url)).toBe(2);
  });
});
