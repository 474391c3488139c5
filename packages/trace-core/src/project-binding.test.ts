import { describe, expect, it } from 'vitest';
import { bindProject, bindResourceAttributes, withoutProjectId } from './project-binding.ts';
import type { SpanRecord } from './span-model.ts';

function clientSpan(): SpanRecord {
  return {
    projectId: 'proj_client',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    parentSpanId: null,
    name: 'retrieval',
    kind: 'INTERNAL',
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    status: { code: 'UNSET' },
    attributes: { 'project.id': 'proj_evil', keep: 1 },
    resource: { attributes: { 'project.id': 'proj_evil', 'service.name': 'app' } },
    scope: { name: 'lib', attributes: { 'project.id': 'proj_evil', s: true } },
    events: [
      { name: 'e1', timeUnixNano: 1n, attributes: { 'project.id': 'x', a: 'b' } },
      { name: 'e2', timeUnixNano: 1n, attributes: { a: 'c' } },
    ],
    links: [
      {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b8',
        attributes: { 'project.id': 'x' },
      },
    ],
    source: 'otlp',
  };
}

describe('bindProject', () => {
  it('sets the resource project.id and the record projectId to the bound project', () => {
    const bound = bindProject(clientSpan(), 'proj_a');
    expect(bound.projectId).toBe('proj_a');
    expect(bound.resource.attributes).toEqual({ 'project.id': 'proj_a', 'service.name': 'app' });
  });

  it('removes project.id from span, scope, event and link attributes', () => {
    const bound = bindProject(clientSpan(), 'proj_a');
    expect(bound.attributes).toEqual({ keep: 1 });
    expect(bound.scope).toEqual({ name: 'lib', attributes: { s: true } });
    expect(bound.events.map((e) => e.attributes)).toEqual([{ a: 'b' }, { a: 'c' }]);
    expect(bound.links[0]?.attributes).toEqual({});
  });

  it('does not mutate its input', () => {
    const span = clientSpan();
    const snapshot = structuredClone(span);
    bindProject(span, 'proj_a');
    expect(span).toEqual(snapshot);
  });

  it('adds project.id to a resource that had none', () => {
    const span = { ...clientSpan(), resource: { attributes: {} } };
    expect(bindProject(span, 'proj_b').resource.attributes).toEqual({ 'project.id': 'proj_b' });
  });

  it('keeps a span without scope without scope', () => {
    const { scope: _scope, ...span } = clientSpan();
    expect(bindProject(span, 'proj_b').scope).toBeUndefined();
  });
});

describe('attribute helpers', () => {
  it('returns the same map when there is no project.id to remove', () => {
    const attrs = { a: 1 };
    expect(withoutProjectId(attrs)).toBe(attrs);
  });

  it('overwrites a client project.id on resource attributes', () => {
    expect(bindResourceAttributes({ 'project.id': 'evil', x: 1 }, 'proj_c')).toEqual({
      'project.id': 'proj_c',
      x: 1,
    });
  });
});
