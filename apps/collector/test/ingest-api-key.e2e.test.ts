/**
 * Ingest the way exporters are configured everywhere (issue "spans from the libraries people
 * use"): an API key with `otel:write` as the bearer, set only through the standard
 * `OTEL_EXPORTER_OTLP_*` environment variables; and the Langfuse SDK's own span processor,
 * pointed at the collector with Basic auth (public key = project id, secret key = API key).
 */
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider, startObservation } from '@langfuse/tracing';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { openStore } from '@to11/store';
import { testEngines } from '@to11/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { type ExporterKind, exportSpans, succeeded } from './otel-exporters.ts';
import { encode, grpcClient, ids, request, span } from './otlp-requests.ts';
import { buildSpanFixture } from './span-fixture.ts';

/** SPEC §9: a revoked key stops working within 5 s everywhere. */
const KEY_CACHE_TTL_MS = 5000;

/** An exporter built with no options at all, so it reads only the OTEL_* variables `env` sets. */
function exporterFromEnv(kind: ExporterKind, env: Record<string, string>): SpanExporter {
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  try {
    if (kind === 'grpc') return new GrpcExporter();
    return kind === 'proto' ? new ProtoExporter() : new JsonExporter();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe.each(testEngines())('ingest with an API key on the %s store', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(() => harness?.close());

  const EXPORTS = (['grpc', 'proto', 'json'] as const).flatMap((kind) =>
    (['API key', 'ingest token'] as const).map((credential) => [kind, credential] as const),
  );
  it.each(EXPORTS)(
    'the official %s exporter sends with OTEL_EXPORTER_OTLP_* variables only, bearer an %s',
    async (kind, credential) => {
      const key = await harness.createKey({ scopes: ['otel:write'] });
      const bearerValue = credential === 'API key' ? key : await harness.ingestToken(key);
      const fixture = await buildSpanFixture();
      const exporter = exporterFromEnv(kind, {
        OTEL_EXPORTER_OTLP_ENDPOINT: kind === 'grpc' ? harness.grpcUrl : harness.httpUrl,
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${bearerValue}`,
      });
      try {
        const result = await exportSpans(exporter, fixture.spans);
        expect(succeeded(result), String(result.error)).toBe(true);
      } finally {
        await exporter.shutdown();
      }
      const stored = await harness.store.spans.getTrace(harness.projectId, fixture.traceId);
      expect(stored.length).toBe(
        fixture.spans.filter((s) => s.spanContext().traceId === fixture.traceId).length,
      );
    },
  );

  it('answers 401 to a revoked key at once and 403 to a key without otel:write', async () => {
    const post = (authorization: string) => {
      const { traceId } = ids();
      return harness.http('/v1/traces', {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', authorization },
        body: encode(request([span(traceId)])),
      });
    };
    const key = await harness.createKey({ scopes: ['otel:write'] });
    expect((await post(`Bearer ${key}`)).status).toBe(200);
    expect(await harness.store.keys.revoke(harness.orgId, key)).toBe(true);
    const revoked = await post(`Bearer ${key}`);
    expect(revoked.status).toBe(401);
    const body = await revoked.text();
    expect(body).toContain('invalid, revoked or expired API key');
    expect(body).not.toContain(key);
    const reader = await harness.createKey({ scopes: ['traces:read'] });
    const forbidden = await post(`Bearer ${reader}`);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  // Another process's store needs Postgres (PGlite is single-process).
  if (engine === 'postgres') {
    it('stops taking a key revoked by another process within the 5 s key cache TTL', async () => {
      const { traceId } = ids();
      const post = (authorization: string) =>
        harness.http('/v1/traces', {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', authorization },
          body: encode(request([span(traceId)])),
        });
      const key = await harness.createKey({ scopes: ['otel:write'] });
      expect((await post(`Bearer ${key}`)).status).toBe(200);
      // The CLI or the gateway revoking: a store of its own, so the collector's cache is not evicted.
      const other = await openStore({ databaseUrl: harness.databaseUrl ?? '' });
      try {
        expect(await other.keys.revoke(harness.orgId, key)).toBe(true);
      } finally {
        await other.close();
      }
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < KEY_CACHE_TTL_MS + 2000) {
        status = (await post(`Bearer ${key}`)).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(401);
    });
  }

  it('takes an org key with x-to11-project-id as the bearer, on HTTP and gRPC', async () => {
    const orgKey = await harness.createKey({ scopeClass: 'org', scopes: ['otel:write'] });
    const headers = { authorization: `Bearer ${orgKey}`, 'x-to11-project-id': harness.projectId };
    const { traceId, traceHex } = ids();
    const http = await harness.http('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...headers },
      body: encode(request([span(traceId)])),
    });
    expect(http.status).toBe(200);
    await grpcClient(harness.grpcUrl).export(request([span(ids().traceId)]), { headers });
    const other = await harness.store.projects.create(
      (await harness.store.organizations.create('elsewhere')).id,
      'foreign',
    );
    const foreign = await harness.http('/v1/traces', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        authorization: `Bearer ${orgKey}`,
        'x-to11-project-id': other.id,
      },
      body: encode(request([span(ids().traceId)])),
    });
    expect(foreign.status).toBe(403);
    expect(await harness.store.spans.getTrace(harness.projectId, traceHex)).toHaveLength(1);
  });

  it('takes Basic auth (project id : API key) at the Langfuse path, org keys included', async () => {
    const basic = (projectId: string, secret: string) =>
      `Basic ${Buffer.from(`${projectId}:${secret}`).toString('base64')}`;
    const post = (authorization: string) => {
      const { traceId } = ids();
      return harness.http('/api/public/otel/v1/traces', {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', authorization },
        body: encode(request([span(traceId)])),
      });
    };
    const key = await harness.createKey({ scopes: ['otel:write'] });
    expect((await post(basic(harness.projectId, key))).status).toBe(200);
    expect((await post(basic('proj_someoneelse0000000000000', key))).status).toBe(403);
    const orgKey = await harness.createKey({ scopeClass: 'org', scopes: ['otel:write'] });
    expect((await post(basic(harness.projectId, orgKey))).status).toBe(200);
    expect((await post(`Bearer ${orgKey}`)).status).toBe(403);
    expect((await post(basic(harness.projectId, 'not-a-key'))).status).toBe(401);
  });

  /**
   * One generation sent by the real Langfuse span processor; answers its trace id and the
   * export's error (`forceFlush` rejects with what the exporter got; a 401 is not retried).
   */
  const sendGeneration = async (
    secretKey: string,
  ): Promise<{ traceId: string; error: unknown }> => {
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new LangfuseSpanProcessor({
          publicKey: harness.projectId,
          secretKey,
          baseUrl: harness.httpUrl,
          exportMode: 'immediate',
        }),
      ],
    });
    setLangfuseTracerProvider(provider);
    const generation = startObservation(
      'chat gpt-4o-mini',
      { model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Say hello' }] },
      { asType: 'generation' },
    );
    generation.update({
      output: { role: 'assistant', content: 'Hello there!' },
      usageDetails: { input: 11, output: 7 },
    });
    generation.end();
    let error: unknown = null;
    try {
      await provider.forceFlush();
    } catch (flushError) {
      error = flushError;
    } finally {
      await provider.shutdown().catch(() => undefined);
      setLangfuseTracerProvider(null);
    }
    return { traceId: generation.otelSpan.spanContext().traceId, error };
  };

  it('stores what the Langfuse span processor sends, read as an LLM call', async () => {
    const key = await harness.createKey({ scopes: ['otel:write'] });
    const { traceId, error } = await sendGeneration(key);
    expect(error).toBeNull();
    const list = await harness.store.spans.listTraces(harness.projectId, { limit: 500 });
    expect(list.traces.find((trace) => trace.traceId === traceId)).toMatchObject({
      models: ['gpt-4o-mini'],
      providers: [],
      inputTokens: 11,
      outputTokens: 7,
      // Priced with the gateway's table: $0.15 / $0.60 per million tokens.
      cost: 0.00000585,
    });
  });

  it('refuses the Langfuse span processor with a wrong or revoked secret key', async () => {
    const key = await harness.createKey({ scopes: ['otel:write'] });
    const wrong = await sendGeneration(`${key.slice(0, -4)}0000`);
    expect(await harness.store.keys.revoke(harness.orgId, key)).toBe(true);
    const revoked = await sendGeneration(key);
    for (const { traceId, error } of [wrong, revoked]) {
      expect(String(error)).toContain('Unauthorized');
      expect(await harness.store.spans.getTrace(harness.projectId, traceId)).toEqual([]);
    }
  });
});
