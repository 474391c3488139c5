import type { SpanRecord } from '@to11/trace-core';
import { describe, expect, it } from 'vitest';
import { RequestTrace } from './request-trace.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

function collect(): { spans: SpanRecord[][]; listener: (spans: SpanRecord[]) => void } {
  const spans: SpanRecord[][] = [];
  return { spans, listener: (batch) => spans.push(batch) };
}

describe('RequestTrace', () => {
  it('continues a valid inbound context and formats traceparents with the caller flags', () => {
    const { listener } = collect();
    const trace = new RequestTrace(`00-${TRACE}-${PARENT}-00`, 'a=1,b=2', 'POST /v1/x', listener);
    expect(trace.traceId).toBe(TRACE);
    expect(trace.parentSpanId).toBe(PARENT);
    expect(trace.traceState).toBe('a=1,b=2');
    expect(trace.traceparent).toBe(`00-${TRACE}-${trace.spanId}-00`);
    expect(trace.traceparentFor('1111111111111111')).toBe(`00-${TRACE}-1111111111111111-00`);
  });

  it('starts a new sampled trace for an absent or invalid header and drops its tracestate', () => {
    const { listener } = collect();
    const trace = new RequestTrace('00-zz-yy-01', 'a=1', 'POST /v1/x', listener);
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.parentSpanId).toBeNull();
    expect(trace.traceState).toBeUndefined();
    expect(trace.traceparent.endsWith('-01')).toBe(true);
  });

  it('drops an invalid tracestate and keeps a valid one verbatim', () => {
    const { listener } = collect();
    expect(
      new RequestTrace(`00-${TRACE}-${PARENT}-01`, 'Bad Key=1', 'x', listener).traceState,
    ).toBeUndefined();
    expect(new RequestTrace(`00-${TRACE}-${PARENT}-01`, 'k=v, l=w', 'x', listener).traceState).toBe(
      'k=v, l=w',
    );
  });

  it('emits every span once, after the response and every hold', () => {
    const { spans, listener } = collect();
    const trace = new RequestTrace(undefined, undefined, 'POST /v1/chat/completions', listener);
    trace.projectId = 'proj_1';
    const release = trace.hold();
    trace.addSpan({
      spanId: '2222222222222222',
      parentSpanId: trace.spanId,
      name: 'chat gpt-4o',
      kind: 'CLIENT',
      startTimeUnixNano: trace.startNs,
      endTimeUnixNano: trace.startNs + 1n,
      status: { code: 'OK' },
      attributes: {},
    });
    trace.respond(200);
    expect(spans).toEqual([]);
    release();
    release();
    expect(spans).toHaveLength(1);
    const [http, child] = spans[0] ?? [];
    expect(http).toMatchObject({
      kind: 'SERVER',
      parentSpanId: null,
      source: 'gateway',
      projectId: 'proj_1',
    });
    expect(http?.attributes['http.response.status_code']).toBe(200);
    expect(http?.resource.attributes).toEqual({
      'service.name': 'to11-gateway',
      'project.id': 'proj_1',
    });
    expect(child).toMatchObject({
      traceId: trace.traceId,
      projectId: 'proj_1',
      name: 'chat gpt-4o',
    });
  });

  it('records nothing without a project and marks 5xx answers as errors', () => {
    const unauthenticated = collect();
    new RequestTrace(undefined, undefined, 'x', unauthenticated.listener).respond(401);
    expect(unauthenticated.spans).toEqual([[]]);
    const failing = collect();
    const trace = new RequestTrace(undefined, undefined, 'x', failing.listener);
    trace.projectId = 'proj_1';
    trace.respond(502);
    expect(failing.spans[0]?.[0]?.status.code).toBe('ERROR');
    expect(failing.spans[0]?.[0]?.attributes['error.type']).toBe('502');
  });
});
