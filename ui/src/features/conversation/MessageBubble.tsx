import type { Message } from "../../bindings/Message";
import { Ticks } from "../../components/Ticks";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { MessageContent } from "./MessageContent";
import type { ShownReaction } from "./messagesModel";

type Props = {
  message: Message;
  reactions?: ShownReaction[];
  /** The message this one quotes, when it is loaded. */
  quoted?: Message | null;
  onJump?: (key: string) => void;
};

/** A short line for a quoted message: its text, or what kind of message it is. */
export function snippet(message: Message): string {
  const text = message.text.trim();
  if (text) return text.length > 120 ? `${text.slice(0, 117)}…` : text;
  return t("conversation.nonText", { kind: message.kind });
}

export function MessageBubble({ message, reactions = [], quoted = null, onJump }: Props) {
  const outbound = message.direction === "outbound";
  const context = message.context;
  return (
    <li
      className="message"
      id={`message-${message.key}`}
      data-key={message.key}
      data-kind={message.body.type}
      data-direction={message.direction}
      data-status={message.status}
    >
      <div className="bubble">
        {outbound && message.sender_name && (
          <span className="message-sender" dir="auto">
            {message.sender_name}
          </span>
        )}
        {context && (context.forwarded || context.frequently_forwarded) && (
          <span className="message-forwarded">
            ↪ {context.frequently_forwarded ? t("message.forwardedMany") : t("message.forwarded")}
          </span>
        )}
        {context?.reply_to && (
          <button
            type="button"
            className="message-quote"
            disabled={!quoted}
            onClick={() => quoted && onJump?.(quoted.key)}
            title={quoted ? t("message.jumpToQuoted") : undefined}
          >
            <span dir="auto">{quoted ? snippet(quoted) : t("message.quotedUnavailable")}</span>
          </button>
        )}
        <MessageContent message={message} />
        <span className="message-meta">
          <Timestamp ms={message.created_at} className="message-time" />
          {outbound && <Ticks status={message.status} error={message.error} />}
        </span>
      </div>
      {reactions.length > 0 && (
        <span className="message-reactions" aria-label={t("message.reactions")}>
          {reactions.map((r) => (
            <span key={r.direction} className="reaction" data-direction={r.direction}>
              {r.emoji}
            </span>
          ))}
        </span>
      )}
      {message.status === "failed" && message.error && (
        <p className="message-error" dir="auto">
          {message.error}
        </p>
      )}
    </li>
  );
}
