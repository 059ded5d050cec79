import type { InboxEntry } from "../../bindings/InboxEntry";
import { userTextDir } from "../../components/bidi";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { contactLabel } from "./inboxModel";

/** Every row is this tall (CSS keeps it so), which lets the list window itself by arithmetic. */
export const ROW_HEIGHT = 80;

type Props = {
  entry: InboxEntry;
  index: number;
  selected: boolean;
  tabbable: boolean;
  onSelect: (conversationId: number) => void;
};

export function InboxItem({ entry, index, selected, tabbable, onSelect }: Props) {
  const { conversation, unread_count } = entry;
  const name = contactLabel(conversation.contact);
  return (
    <button
      type="button"
      className="inbox-item"
      data-conversation-id={conversation.id}
      data-index={index}
      aria-current={selected ? "true" : undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect(conversation.id)}
    >
      <span className="inbox-item-row">
        <span className="contact-name" dir={userTextDir(name)}>
          {name}
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
