import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

/**
 * A virtualiser for `count` rows of one fixed height inside the scroll container the returned
 * ref is put on: only the rows in view (plus `overscan`) are rendered.
 */
export function useFixedRows<E extends HTMLElement>(
  count: number,
  rowHeight: number,
  overscan: number,
) {
  const scroller = useRef<E>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan,
  });
  return { scroller, virtualizer };
}
