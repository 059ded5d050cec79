import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { MessageList } from "../conversation/MessageList";
import { TranscriptAction } from "./TranscriptAction";
import { useConversationReview } from "./useReview";

/**
 * A conversation shown to read only: its messages in the conversation view's own rendering,
 * and no reply box, notes or actions.
 */
export function ReviewConversation({ conversationId }: { conversationId: number }) {
  const { review, error } = useConversationReview(conversationId);
  const conversation = review?.conversation ?? null;
  const contact = conversation?.contact;
  return (
    <section id="review-conversation" className="review-conversation" data-conversation-id={conversationId} aria-labelledby="review-title">
      <header className="review-header">
        <p id="review-readonly" className="review-badge">
          {t("review.readOnly")}
        </p>
        <h2 id="review-title" className="review-title" dir="auto">
          {contact?.name ?? contact?.wa_id ?? t("review.conversation", { id: conversationId })}
        </h2>
        {conversation && (
          <p className="review-meta">
            <bdi dir="ltr">{contact?.wa_id ?? ""}</bdi> · <span dir="auto">{conversation.business_name}</span> ·{" "}
            {conversation.status === "resolved" ? t("review.resolved") : t("review.open")} ·{" "}
            {conversation.assigned_user_name
              ? t("review.heldBy", { name: conversation.assigned_user_name })
              : t("review.unassigned")}{" "}
            · <Timestamp ms={conversation.last_message_at} />
          </p>
        )}
        <TranscriptAction key={conversationId} conversationId={conversationId} />
        {review?.from_cache && (
          <p id="review-from-cache" className="banner banner-notice" role="status">
            {t("review.fromCache")}
          </p>
        )}
      </header>
      <MessageList messages={review?.messages ?? []} loaded={review !== null || error !== null} error={error} />
    </section>
  );
}
