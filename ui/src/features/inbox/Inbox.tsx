import { useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from "react";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { InboxFilters } from "./InboxFilters";
import { InboxItem, ROW_HEIGHT } from "./InboxItem";
import { applyView, inboxFacets, isFiltered, DEFAULT_VIEW } from "./inboxView";
import { reportInboxShown } from "./reportInboxShown";
import type { InboxState } from "./useInbox";
import { useInboxView } from "./useInboxView";
import { useVirtualRows } from "./useVirtualRows";

type Props = InboxState & {
  /** The signed-in user, for the "Mine" filter and to remember filters per user. */
  userId: number | null;
  selectedId: number | null;
  onSelect: (conversationId: number) => void;
};

const MOVES: Record<string, "up" | "down" | "first" | "last"> = {
  ArrowUp: "up",
  ArrowDown: "down",
  k: "up",
  j: "down",
  Home: "first",
  End: "last",
};

export function Inbox({ entries, loaded, error, userId, selectedId, onSelect }: Props) {
  const [view, setView] = useInboxView(userId);
  const shown = useMemo(() => applyView(entries, view, userId), [entries, view, userId]);
  const facets = useMemo(() => inboxFacets(entries), [entries]);
  const unread = useMemo(() => shown.reduce((sum, e) => sum + e.unread_count, 0), [shown]);
  const { scrollRef, first, end, before, after, onScroll, scrollToIndex } = useVirtualRows(shown.length, ROW_HEIGHT);
  const selectedIndex = shown.findIndex((e) => e.conversation.id === selectedId);
  const focusIndex = useRef<number | null>(null);

  function handleKeyDown(e: KeyboardEvent<HTMLElement>) {
    const move = MOVES[e.key];
    if (!move || shown.length === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault(); // keep the keys from scrolling the column
    const last = shown.length - 1;
    let next: number;
    if (move === "first") next = 0;
    else if (move === "last") next = last;
    else if (selectedIndex < 0) next = move === "down" ? 0 : last;
    else next = Math.min(last, Math.max(0, selectedIndex + (move === "down" ? 1 : -1)));
    const entry = shown[next];
    if (!entry) return;
    onSelect(entry.conversation.id);
    // Focus follows selection; the row may be outside the window, so bring it in first.
    scrollToIndex(next);
    focusIndex.current = next;
  }

  // Focus the row a key moved to once it is rendered.
  useLayoutEffect(() => {
    if (focusIndex.current === null) return;
    const row = scrollRef.current?.querySelector<HTMLButtonElement>(`.inbox-item[data-index="${focusIndex.current}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      focusIndex.current = null;
    }
  });

  useEffect(() => {
    if (loaded) reportInboxShown();
  }, [loaded]);

  // A conversation opened from elsewhere (a notification, the supervisor board) scrolls into view.
  useEffect(() => {
    if (selectedIndex >= 0) scrollToIndex(selectedIndex);
    // Only when the selection changes, not on every reorder, so the list does not jump under the pointer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId, scrollToIndex]);

  const filtered = isFiltered(view);
  // Roving tabindex: Tab enters the list once (on the selection when it is rendered), keys move within it.
  const tabbableIndex = selectedIndex >= first && selectedIndex < end ? selectedIndex : first;

  return (
    <nav id="inbox" className="inbox" aria-label={t("inbox.label")}>
      <InboxFilters view={view} facets={facets} onChange={setView} />
      <div className="inbox-summary">
        <span id="inbox-count">
          {filtered
            ? t("inbox.countFiltered", { count: shown.length, total: entries.length })
            : t("inbox.count", { count: shown.length })}
          {unread > 0 && <> · {t("inbox.unread", { count: unread })}</>}
        </span>
        {filtered && (
          <Button variant="ghost" className="inbox-clear" onClick={() => setView({ ...DEFAULT_VIEW, sort: view.sort })}>
            {t("inbox.clearFilters")}
          </Button>
        )}
      </div>
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      {loaded && !error && entries.length === 0 && <p className="inbox-empty">{t("inbox.empty")}</p>}
      {loaded && !error && entries.length > 0 && shown.length === 0 && (
        <p className="inbox-empty">{t("inbox.noMatches")}</p>
      )}
      <p id="inbox-keys" className="visually-hidden">
        {t("inbox.keyboardHint")}
      </p>
      <div className="inbox-scroll" ref={scrollRef} onScroll={onScroll}>
        <ul
          className="inbox-list"
          aria-label={t("inbox.label")}
          aria-describedby="inbox-keys"
          onKeyDown={handleKeyDown}
          style={{ paddingBlockStart: before, paddingBlockEnd: after }}
        >
          {shown.slice(first, end).map((entry, offset) => {
            const index = first + offset;
            return (
              <li key={entry.conversation.id} aria-setsize={shown.length} aria-posinset={index + 1}>
                <InboxItem
                  entry={entry}
                  index={index}
                  selected={entry.conversation.id === selectedId}
                  tabbable={index === tabbableIndex}
                  onSelect={onSelect}
                />
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}
