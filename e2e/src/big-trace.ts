/**
 * A large trace sent over OTLP/HTTP JSON (the wire format an exporter uses, built by hand so the
 * shape is exact): one root, `fanOut` children under it, and the rest spread under those.
 */
import { randomBytes } from 'node:crypto';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Sends a `spanCount`-span trace with the ingest `token`; resolves its trace id. */
export async function sendBigTrace(
  httpUrl: string,
  token: string,
  spanCount: number,
  fanOut = 50,
): Promise<string> {
  const traceId = hex(16);
  const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
  const rootId = hex(8);
  const spans: Record<string, unknown>[] = [];
  const add = (spanId: string, parentSpanId: string, name: string, offsetMs: number, ms: number) =>
    spans.push({
      traceId,
      spanId,
      ...(parentSpanId === '' ? {} : { parentSpanId }),
      name,
      kind: 1,
      startTimeUnixNano: (startNs + BigInt(offsetMs) * 1_000_000n).toString(),
      endTimeUnixNano: (startNs + BigInt(offsetMs + ms) * 1_000_000n).toString(),
      attributes: [{ key: 'step.index', value: { intValue: String(spans.length) } }],
    });
  add(rootId, '', 'agent-run', 0, spanCount + 10);
  const parents: string[] = [];
  for (let i = 0; i < fanOut && spans.length < spanCount; i++) {
    const id = hex(8);
    parents.push(id);
    add(id, rootId, `agent-step-${i}`, i * 2, spanCount / fanOut);
  }
  for (let i = 0; spans.length < spanCount; i++) {
    add(hex(8), parents[i % parents.length] ?? rootId, `tool-work-${i}`, i, 1);
  }
  const response = await fetch(`${httpUrl}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big-agent' } }] },
          scopeSpans: [{ scope: { name: 'explorer-e2e' }, spans }],
        },
      ],
    }),
  });
  if (response.status !== 200) {
    throw new Error(`OTLP/HTTP answered ${response.status}: ${await response.text()}`);
  }
  return traceId;
}
