import type { Conversation } from "../../bindings/Conversation";
import { t } from "../../i18n";
import { contactLabel } from "../inbox/inboxModel";

/** `conversation` is null when opened (e.g. from a notification) before the inbox knows it. */
export function ConversationHeader({ id, conversation }: { id: number; conversation: Conversation | null }) {
  if (!conversation) {
    return (
      <header className="conversation-header">
        <h2 className="conversation-title">{t("conversation.unknown", { id })}</h2>
      </header>
    );
  }
  const { contact } = conversation;
  const title = contactLabel(contact);
  const number = contact.wa_id ? `+${contact.wa_id.replace(/^\+/, "")}` : null;
  return (
    <header className="conversation-header">
      <div className="conversation-heading">
        <h2 className="conversation-title" dir="auto">
          {title}
        </h2>
        {number && number !== title && <span className="conversation-number">{number}</span>}
      </div>
      <div className="conversation-context">
        <span className="business-line" dir="auto">
          {t("conversation.via", { business: `${conversation.business_name} · ${conversation.business_number}` })}
        </span>
        {conversation.assigned_user_name && (
          <span dir="auto">{t("conversation.assignedTo", { name: conversation.assigned_user_name })}</span>
        )}
        {conversation.status === "resolved" && <span className="tag">{t("conversation.resolved")}</span>}
      </div>
    </header>
  );
}
