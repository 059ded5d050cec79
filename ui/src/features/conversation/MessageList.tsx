import { useLayoutEffect, useMemo, useRef } from "react";
import type { ConversationNote } from "../../bindings/ConversationNote";
import type { Message } from "../../bindings/Message";
import { t } from "../../i18n";
import { MessageBubble } from "./MessageBubble";
import { buildTimeline } from "./messagesModel";
import { NoteItem } from "./NoteItem";

type Props = {
  messages: Message[];
  notes?: ConversationNote[];
  loaded: boolean;
  error: string | null;
  /** Scrolled to and flashed once, when it is among the messages (a search hit). */
  focusKey?: string | null;
};

/** Scrolls to a message and flashes it, for a quoted reply's "jump to". */
function jumpTo(key: string) {
  const el = document.getElementById(`message-${key}`);
  if (!el) return;
  el.scrollIntoView?.({ block: "center", behavior: "smooth" });
  el.classList.add("message-flash");
  window.setTimeout(() => el.classList.remove("message-flash"), 1600);
}

export function MessageList({ messages, notes = [], loaded, error, focusKey = null }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const timeline = useMemo(() => buildTimeline(messages, notes), [messages, notes]);
  const byWamid = useMemo(() => new Map(messages.filter((m) => m.wamid).map((m) => [m.wamid!, m])), [messages]);
  const last = timeline[timeline.length - 1];
  const lastKey = last ? (last.kind === "note" ? last.note.key : last.message.key) : undefined;

  // Follow the newest message. Keyed on the last item rather than on every
  // change, so a delivery-status update on an old message doesn't yank the view.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lastKey, timeline.length]);

  // After following the newest, go to the message a search hit named, once it is here.
  const focused = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!focusKey || focused.current === focusKey) return;
    if (!messages.some((m) => m.key === focusKey)) return;
    focused.current = focusKey;
    jumpTo(focusKey);
  }, [focusKey, messages]);

  return (
    <div className="message-scroll" ref={scrollRef}>
      {!loaded && <p className="conversation-hint">{t("conversation.loading")}</p>}
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      <ol id="messages" className="messages" aria-label={t("conversation.messages")}>
        {timeline.map((item) =>
          item.kind === "note" ? (
            <NoteItem key={`note-${item.note.key}`} note={item.note} />
          ) : (
            <MessageBubble
              key={item.message.key}
              message={item.message}
              reactions={item.reactions}
              quoted={item.message.context?.reply_to ? (byWamid.get(item.message.context.reply_to) ?? null) : null}
              onJump={jumpTo}
            />
          ),
        )}
      </ol>
    </div>
  );
}
