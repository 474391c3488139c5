import { useState } from 'react';
import type { Attributes, Span } from '../api/types.ts';
import { ConversationView } from '../conversation/conversation-view.tsx';
import { prettyJson } from '../conversation/messages.ts';
import { CopyButton } from '../ui/copy-button.tsx';
import { formatDuration, formatTime } from '../ui/format.ts';
import { spanCategory } from '../waterfall/span-kind.ts';
import { matchingAttributes } from './attribute-search.ts';

/** Message attributes are shown as the conversation; the table keeps them too, for the raw view. */
function AttributeTable({
  title,
  attributes,
  query,
}: {
  title: string;
  attributes: Attributes;
  query: string;
}) {
  const entries = matchingAttributes(attributes, query);
  return (
    <section className="attributes" aria-label={title}>
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="hint">{query.trim() === '' ? 'none' : `none match “${query.trim()}”`}</p>
      ) : (
        <dl>
          {entries.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>
                {(typeof value === 'string' && !/^[[{]/.test(value)) ||
                typeof value === 'number' ||
                typeof value === 'boolean' ? (
                  String(value)
                ) : (
                  <pre>{prettyJson(value)}</pre>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** Everything about one span: identity, timing, conversation, attributes, resource, events. */
export function SpanPanel({ span }: { span: Span }) {
  const [query, setQuery] = useState('');
  const durationMs = Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
  return (
    <aside className="span-panel" aria-label="Span details">
      <h2>{span.name}</h2>
      <dl className="span-facts">
        <div>
          <dt>Span ID</dt>
          <dd className="mono">
            {span.spanId} <CopyButton text={span.spanId} label="span id" />
          </dd>
        </div>
        <div>
          <dt>Parent</dt>
          <dd className="mono">{span.parentSpanId ?? '— (root)'}</dd>
        </div>
        <div>
          <dt>Kind / source</dt>
          <dd>
            {span.kind} · {span.source === 'gateway' ? 'gateway' : 'app (OTLP)'} ·{' '}
            {spanCategory(span)}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd className={span.status.code === 'ERROR' ? 'error-text' : ''}>
            {span.status.code}
            {span.status.message ? `: ${span.status.message}` : ''}
          </dd>
        </div>
        <div>
          <dt>Start</dt>
          <dd>{formatTime(span.startTimeUnixNano)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(durationMs)}</dd>
        </div>
      </dl>
      <ConversationView span={span} />
      <input
        type="search"
        className="attribute-search"
        aria-label="Search attributes"
        placeholder="Search attributes and resource (key or value)"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <AttributeTable title="Attributes" attributes={span.attributes} query={query} />
      <AttributeTable title="Resource" attributes={span.resource.attributes} query={query} />
      <section aria-label="Events">
        <h3>Events</h3>
        {span.events.length === 0 ? (
          <p className="hint">none</p>
        ) : (
          span.events.map((event) => (
            <div key={`${event.timeUnixNano}-${event.name}`} className="event">
              <div>
                <strong>{event.name}</strong>{' '}
                <span className="hint">{formatTime(event.timeUnixNano)}</span>
              </div>
              {Object.keys(event.attributes).length > 0 && (
                <pre>{prettyJson(event.attributes)}</pre>
              )}
            </div>
          ))
        )}
      </section>
      {span.links.length > 0 && (
        <section aria-label="Links">
          <h3>Links</h3>
          <pre>{prettyJson(span.links)}</pre>
        </section>
      )}
    </aside>
  );
}
