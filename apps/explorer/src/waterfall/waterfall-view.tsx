import { useMemo, useState } from 'react';
import { formatDuration } from '../ui/format.ts';
import { useFixedRows } from '../ui/use-fixed-rows.ts';
import { visibleRows, type WaterfallLayout } from './layout.ts';
import { spanCategory } from './span-kind.ts';

const ROW_HEIGHT = 30;
const INDENT_PX = 14;

const CATEGORY_LABEL = { genai: 'LLM', tool: 'tool', gateway: 'gateway', app: 'app' } as const;

/** The waterfall: one virtualised row per visible span, bars on the trace's time axis. */
export function WaterfallView({
  layout,
  selected,
  onSelect,
}: {
  layout: WaterfallLayout;
  selected: string | null;
  onSelect: (spanId: string) => void;
}) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => visibleRows(layout.rows, collapsed), [layout, collapsed]);
  const { scroller, virtualizer } = useFixedRows<HTMLDivElement>(rows.length, ROW_HEIGHT, 20);
  const toggle = (spanId: string) => {
    const next = new Set(collapsed);
    if (!next.delete(spanId)) next.add(spanId);
    setCollapsed(next);
  };
  return (
    <section className="waterfall" aria-label="Waterfall">
      <div className="waterfall-axis">
        <span>0</span>
        <span>{formatDuration(layout.durationMs / 2)}</span>
        <span>{formatDuration(layout.durationMs)}</span>
      </div>
      <div className="scroller" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            const { span } = row;
            const category = spanCategory(span);
            const error = span.status.code === 'ERROR';
            const isCollapsed = collapsed.has(span.spanId);
            return (
              <div
                key={span.spanId}
                className={`wf-row ${category}${error ? ' error' : ''}${
                  selected === span.spanId ? ' selected' : ''
                }`}
                data-testid="waterfall-row"
                data-depth={row.depth}
                data-span-id={span.spanId}
                data-category={category}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <div className="wf-name" style={{ paddingLeft: row.depth * INDENT_PX }}>
                  {row.childCount > 0 ? (
                    <button
                      type="button"
                      className="toggle"
                      aria-expanded={!isCollapsed}
                      aria-label={`${isCollapsed ? 'Expand' : 'Collapse'} ${span.name}`}
                      onClick={() => toggle(span.spanId)}
                    >
                      {isCollapsed ? '▸' : '▾'}
                    </button>
                  ) : (
                    <span className="toggle-space" />
                  )}
                  <button type="button" className="span-link" onClick={() => onSelect(span.spanId)}>
                    {error && (
                      <span className="error-mark" title={span.status.message ?? 'error'}>
                        ⚠{' '}
                      </span>
                    )}
                    {span.name}
                  </button>
                  <span className={`tag ${category}`}>{CATEGORY_LABEL[category]}</span>
                </div>
                <div className="wf-track">
                  <span
                    className="wf-bar"
                    style={{ left: `${row.offsetPct}%`, width: `${row.widthPct}%` }}
                  />
                  {row.ttftPct !== null && row.ttftMs !== null && (
                    <span
                      className="wf-ttft"
                      data-testid="ttft-marker"
                      title={`time to first token ${formatDuration(row.ttftMs)}`}
                      style={{ left: `${row.ttftPct}%` }}
                    />
                  )}
                  <span className="wf-duration">{formatDuration(row.durationMs)}</span>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
