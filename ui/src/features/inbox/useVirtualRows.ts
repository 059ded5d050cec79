import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from "react";

/** Until the list has been measured (and in jsdom, which lays nothing out), assume a tall window. */
const FALLBACK_VIEWPORT = 800;

export type VirtualRows = {
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The rows to render: [first, end). */
  first: number;
  end: number;
  /** Space standing in for the rows above and below the window. */
  before: number;
  after: number;
  onScroll: () => void;
  /** Scrolls just enough for a row to be fully visible. */
  scrollToIndex: (index: number) => void;
};

/**
 * Windowing for a list of fixed-height rows: only the rows in view, plus `overscan` on each
 * side, are in the DOM, so ten thousand conversations cost what twenty do.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 6): VirtualRows {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewport(el.clientHeight);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    if (scrollRef.current) setScrollTop(scrollRef.current.scrollTop);
  }, []);

  const height = viewport || FALLBACK_VIEWPORT;
  const total = count * rowHeight;
  // A list that shrank (a filter applied) may leave scrollTop past its end until the browser clamps it.
  const top = Math.max(0, Math.min(scrollTop, total - height));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const rowTop = index * rowHeight;
      const visible = el.clientHeight || FALLBACK_VIEWPORT;
      let next = el.scrollTop;
      if (rowTop < next) next = rowTop;
      else if (rowTop + rowHeight > next + visible) next = rowTop + rowHeight - visible;
      if (next === el.scrollTop) return;
      el.scrollTop = next;
      // Render the new window now rather than on the scroll event, so the row can take focus at once.
      setScrollTop(next);
    },
    [rowHeight],
  );

  return {
    scrollRef,
    first,
    end,
    before: first * rowHeight,
    after: (count - end) * rowHeight,
    onScroll,
    scrollToIndex,
  };
}
