import type { Message } from "../../bindings/Message";
import { Ticks } from "../../components/Ticks";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";

export function MessageBubble({ message }: { message: Message }) {
  const outbound = message.direction === "outbound";
  // Media and other non-text kinds may arrive without a caption.
  const body = message.text || (message.kind !== "text" ? t("conversation.nonText", { kind: message.kind }) : "");
  return (
    <li
      className="message"
      data-key={message.key}
      data-direction={message.direction}
      data-status={message.status}
    >
      <div className="bubble">
        {outbound && message.sender_name && (
          <span className="message-sender" dir="auto">
            {message.sender_name}
          </span>
        )}
        <p className="message-text" dir="auto">
          {body}
        </p>
        <span className="message-meta">
          <Timestamp ms={message.created_at} className="message-time" />
          {outbound && <Ticks status={message.status} error={message.error} />}
        </span>
      </div>
      {message.status === "failed" && message.error && (
        <p className="message-error" dir="auto">
          {message.error}
        </p>
      )}
    </li>
  );
}
