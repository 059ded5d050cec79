import { useState } from "react";
import type { Conversation } from "../../bindings/Conversation";
import { userTextDir } from "../../components/bidi";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { ConversationContactTags } from "../contacts/ConversationContactTags";
import { CrmPanel } from "../crm/CrmPanel";
import { contactLabel } from "../inbox/inboxModel";
import { useDesktopEvent } from "../session/desktopEvents";
import { ConversationActions } from "./ConversationActions";
import { TagEditor } from "./TagEditor";
import { WindowCountdown } from "./WindowCountdown";

type Props = { id: number; conversation: Conversation | null; windowRemaining: number; now: number };

/** `conversation` is null when opened (e.g. from a notification) before the inbox knows it. */
export function ConversationHeader({ id, conversation, windowRemaining, now }: Props) {
  const [actionError, setActionError] = useState<string | null>(null);
  useDesktopEvent((e) => {
    if (e.type === "action_failed" && e.conversation_id === id) setActionError(e.message);
  });
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
  function setTags(tags: string[]) {
    setActionError(null);
    call("set_tags", { conversation_id: id, tags }).catch((err: unknown) => setActionError(toIpcError(err).message));
  }
  return (
    <header className="conversation-header" data-status={conversation.status}>
      <div className="conversation-heading">
        <h2 className="conversation-title" dir={userTextDir(title)}>
          {title}
        </h2>
        {number && number !== title && <span className="conversation-number" dir="ltr">{number}</span>}
        <WindowCountdown remaining={windowRemaining} />
      </div>
      <div className="conversation-context">
        <span className="business-line" dir="auto">
          {t("conversation.via", { business: `${conversation.business_name} · ${conversation.business_number}` })}
        </span>
        {conversation.assigned_user_name && (
          <span dir="auto">{t("conversation.assignedTo", { name: conversation.assigned_user_name })}</span>
        )}
        {conversation.status === "resolved" && (
          <span id="conversation-resolved" className="tag">
            {t("conversation.resolved")}
          </span>
        )}
        {conversation.snoozed_until !== null && conversation.snoozed_until > now && (
          <span id="conversation-snoozed" className="tag">
            {t("conversation.snoozedUntil")} <Timestamp ms={conversation.snoozed_until} />
          </span>
        )}
      </div>
      <TagEditor tags={conversation.tags} onChange={setTags} />
      <ConversationContactTags key={contact.id} contactId={contact.id} />
      <CrmPanel key={`crm-${id}`} conversationId={id} />
      <ConversationActions conversation={conversation} onError={setActionError} />
      {actionError && (
        <div id="action-error" className="banner banner-error" role="alert">
          <p dir="auto">{actionError}</p>
          <Button variant="ghost" onClick={() => setActionError(null)}>
            {t("session.dismiss")}
          </Button>
        </div>
      )}
    </header>
  );
}
