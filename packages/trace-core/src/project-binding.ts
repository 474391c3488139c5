/**
 * Project binding (SPEC §3 "Project binding", §9): every stored span carries the owning project
 * as resource attribute `project.id`, and no client-sent `project.id` survives anywhere else.
 */
import { ATTR_PROJECT_ID } from './semconv.ts';
import type { Attributes, SpanRecord } from './span-model.ts';

/**
 * Returns `attributes` without a `project.id` key. The same object comes back when there is
 * nothing to remove; otherwise a shallow copy (the input is never mutated).
 */
export function withoutProjectId(attributes: Attributes): Attributes {
  if (!Object.hasOwn(attributes, ATTR_PROJECT_ID)) return attributes;
  const { [ATTR_PROJECT_ID]: _removed, ...rest } = attributes;
  return rest;
}

/**
 * Returns a copy of resource attributes with `project.id` set to `projectId`, overwriting any
 * value the client sent. The input is not mutated.
 */
export function bindResourceAttributes(attributes: Attributes, projectId: string): Attributes {
  return { ...attributes, [ATTR_PROJECT_ID]: projectId };
}

/**
 * Binds a span to a project: sets `projectId` and resource attribute `project.id`, and removes
 * `project.id` from scope, span, event and link attributes.
 *
 * Pure: returns a new `SpanRecord` and never mutates the input. Unchanged nested objects
 * (attribute maps without `project.id`, events, links) are shared with the input.
 */
export function bindProject(span: SpanRecord, projectId: string): SpanRecord {
  const bound: SpanRecord = {
    ...span,
    projectId,
    attributes: withoutProjectId(span.attributes),
    resource: {
      ...span.resource,
      attributes: bindResourceAttributes(span.resource.attributes, projectId),
    },
    events: span.events.map((event) => {
      const attributes = withoutProjectId(event.attributes);
      return attributes === event.attributes ? event : { ...event, attributes };
    }),
    links: span.links.map((link) => {
      const attributes = withoutProjectId(link.attributes);
      return attributes === link.attributes ? link : { ...link, attributes };
    }),
  };
  if (span.scope?.attributes) {
    bound.scope = { ...span.scope, attributes: withoutProjectId(span.scope.attributes) };
  }
  return bound;
}
