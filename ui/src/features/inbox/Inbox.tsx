import { useRef, type KeyboardEvent } from "react";
import type { InboxEntry } from "../../bindings/InboxEntry";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { contactLabel } from "./inboxModel";
import type { InboxState } from "./useInbox";

type Props = InboxState & {
  selectedId: number | null;
  onSelect: (conversationId: number) => void;
};

const NAV_KEYS = new Set(["ArrowUp", "ArrowDown", "Home", "End"]);

export function Inbox({ entries, loaded, error, selectedId, onSelect }: Props) {
  const listRef = useRef<HTMLUListElement>(null);
  const selectedIndex = entries.findIndex((e) => e.conversation.id === selectedId);

  function handleKeyDown(e: KeyboardEvent<HTMLElement>) {
    if (!NAV_KEYS.has(e.key) || entries.length === 0) return;
    e.preventDefault(); // keep the arrow keys from scrolling the column
    const last = entries.length - 1;
    let next: number;
    if (e.key === "Home") next = 0;
    else if (e.key === "End") next = last;
    else if (selectedIndex < 0) next = e.key === "ArrowDown" ? 0 : last;
    else next = Math.min(last, Math.max(0, selectedIndex + (e.key === "ArrowDown" ? 1 : -1)));
    const entry = entries[next];
    if (!entry) return;
    onSelect(entry.conversation.id);
    // Focus follows selection; the DOM order is the sorted order.
    listRef.current?.querySelectorAll<HTMLButtonElement>(".inbox-item")[next]?.focus();
  }

  return (
    <nav id="inbox" className="inbox" aria-label={t("inbox.label")} onKeyDown={handleKeyDown}>
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      {loaded && !error && entries.length === 0 && <p className="inbox-empty">{t("inbox.empty")}</p>}
      <ul className="inbox-list" ref={listRef}>
        {entries.map((entry, index) => (
          <li key={entry.conversation.id}>
            <InboxItem
              entry={entry}
              selected={entry.conversation.id === selectedId}
              // Roving tabindex: Tab enters the list once, arrows move within it.
              tabbable={selectedIndex < 0 ? index === 0 : index === selectedIndex}
              onSelect={onSelect}
            />
          </li>
        ))}
      </ul>
    </nav>
  );
}

type ItemProps = {
  entry: InboxEntry;
  selected: boolean;
  tabbable: boolean;
  onSelect: (conversationId: number) => void;
};

function InboxItem({ entry, selected, tabbable, onSelect }: ItemProps) {
  const { conversation, unread_count } = entry;
  return (
    <button
      type="button"
      className="inbox-item"
      data-conversation-id={conversation.id}
      aria-current={selected ? "true" : undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect(conversation.id)}
    >
      <span className="inbox-item-row">
        <span className="contact-name" dir="auto">
          {contactLabel(conversation.contact)}
        </span>
        <Timestamp ms={conversation.last_message_at} className="inbox-time" />
      </span>
      <span className="business-name" dir="auto">
        {conversation.business_name}
      </span>
      <span className="inbox-item-row">
        <span className="preview" dir="auto">
          {conversation.last_message_preview}
        </span>
        {unread_count > 0 && (
          <span className="unread-badge" aria-label={t("inbox.unread", { count: unread_count })}>
            {unread_count}
          </span>
        )}
      </span>
    </button>
  );
}
