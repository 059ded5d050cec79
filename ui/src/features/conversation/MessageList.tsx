import { useLayoutEffect, useRef } from "react";
import type { Message } from "../../bindings/Message";
import { t } from "../../i18n";
import { MessageBubble } from "./MessageBubble";

type Props = { messages: Message[]; loaded: boolean; error: string | null };

export function MessageList({ messages, loaded, error }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastKey = messages[messages.length - 1]?.key;

  // Follow the newest message. Keyed on the last message rather than on every
  // change, so a delivery-status update on an old message doesn't yank the view.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lastKey, messages.length]);

  return (
    <div className="message-scroll" ref={scrollRef}>
      {!loaded && <p className="conversation-hint">{t("conversation.loading")}</p>}
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      <ol id="messages" className="messages" aria-label={t("conversation.messages")}>
        {messages.map((m) => (
          <MessageBubble key={m.key} message={m} />
        ))}
      </ol>
    </div>
  );
}
