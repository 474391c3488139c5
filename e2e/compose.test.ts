/**
 * The docker compose deployment (infra/docker-compose.yml), built and started from the images:
 * one call through the gateway container and the app's spans through the collector container
 * come back from the read API as one trace. Run with `pnpm --filter @to11/e2e test:compose`.
 * On this machine containers use the host network and the machine's Postgres
 * (infra/docker-compose.ci.yml); nothing is sent to the docker bridge.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComposeProject,
  DOCKER_LOCAL,
  freePort,
  resolveComposeProject,
} from './src/compose-project.ts';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { gatewayOpenAI } from './src/gateway-client.ts';
import { createAppTracerProvider, traceHeaders } from './src/otel-app.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './src/throwaway-database.ts';
import { exchangeIngestToken, waitForTrace } from './src/to11-api.ts';
import { E2E_API_KEY } from './src/topology.ts';
import { onlyChildOf, outline, upstreamTraceparent } from './src/trace-shape.ts';

const exec = promisify(execFile);
const POSTGRES_SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MODEL = 'gpt-4o-mini';

describe('docker compose: gateway and collector containers on Postgres', () => {
  let fake: FakeProvider;
  let database: ThrowawayDatabase;
  let project: ComposeProject | undefined;
  const ports = { gateway: 0, grpc: 0, http: 0 };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let started = Date.now();
    await exec('bash', [DOCKER_LOCAL], { timeout: 600_000 });
    timings.dockerLocalMs = Date.now() - started;
    fake = await startFakeProvider();
    database = await createThrowawayDatabase(POSTGRES_SERVER);
    ports.gateway = await freePort();
    ports.grpc = await freePort();
    ports.http = await freePort();
    project = await resolveComposeProject(`to11e2e${randomBytes(3).toString('hex')}`, {
      TO11_TOKEN_SECRET: randomBytes(32).toString('hex'),
      TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
      TO11_E2E_DATABASE_URL: database.url,
      TO11_E2E_GATEWAY_PORT: String(ports.gateway),
      TO11_E2E_GRPC_PORT: String(ports.grpc),
      TO11_E2E_HTTP_PORT: String(ports.http),
      TO11_OPENAI_BASE_URL: fake.baseUrl,
    });
    started = Date.now();
    await project.compose(['build']);
    timings.buildMs = Date.now() - started;
    started = Date.now();
    await project.compose(['up', '-d']);
    await project.waitHealthy(['gateway', 'collector'], 120_000);
    timings.upUntilHealthyMs = Date.now() - started;
  });

  afterAll(async () => {
    const started = Date.now();
    await project?.down();
    timings.downMs = Date.now() - started;
    await database?.drop();
    await fake?.close();
    console.info(`compose timings: ${JSON.stringify(timings)}`);
  });

  it('records an app span, the gateway call and the provider call as one trace', async () => {
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    const httpUrl = `http://127.0.0.1:${ports.http}`;
    const health = await fetch(`${gatewayUrl}/health`);
    expect(health.status).toBe(200);

    const ingestToken = await exchangeIngestToken(httpUrl, E2E_API_KEY);
    const tracerProvider = createAppTracerProvider({
      grpcUrl: `http://127.0.0.1:${ports.grpc}`,
      ingestToken,
      serviceName: 'compose-e2e',
    });
    const openai = gatewayOpenAI(gatewayUrl, E2E_API_KEY);
    const run = await tracerProvider
      .getTracer('compose-e2e')
      .startActiveSpan('compose-run', async (span) => {
        try {
          const completion = await openai.chat.completions.create(
            { model: MODEL, messages: [{ role: 'user', content: 'Hello from compose' }] },
            { headers: traceHeaders() },
          );
          return { ...span.spanContext(), answer: completion.choices[0]?.message.content };
        } finally {
          span.end();
        }
      });
    await tracerProvider.shutdown();
    expect(run.answer).toBe(FAKE_ANSWER);

    const trace = await waitForTrace(httpUrl, E2E_API_KEY, run.traceId, 3);
    const tree = outline(trace);
    const root = onlyChildOf(trace, null);
    expect([root.spanId, root.source], tree).toEqual([run.spanId, 'otlp']);
    const http = onlyChildOf(trace, root.spanId);
    expect([http.name, http.source], tree).toEqual(['POST /v1/chat/completions', 'gateway']);
    const genAi = onlyChildOf(trace, http.spanId);
    expect(genAi.name, tree).toBe(`chat ${MODEL}`);
    expect(fake.requests.at(-1)?.headers.traceparent).toBe(upstreamTraceparent(run.traceId, genAi));
  });
});
