import type { ConversationNote } from "../../bindings/ConversationNote";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";

/** An internal note in the timeline: marked as such, since the customer never sees it. */
export function NoteItem({ note }: { note: ConversationNote }) {
  return (
    <li className="note" data-key={note.key} data-status={note.status}>
      <div className="note-body">
        <span className="note-label">
          🔒 {t("note.label")}
          {note.author_name && <span dir="auto"> · {note.author_name}</span>}
        </span>
        <p className="message-text" dir="auto">
          {note.text}
        </p>
        <span className="message-meta">
          <Timestamp ms={note.created_at} className="message-time" />
          {note.status === "pending" && <span className="note-pending">{t("note.pending")}</span>}
        </span>
      </div>
      {note.status === "failed" && note.error && (
        <p className="message-error" dir="auto">
          {note.error}
        </p>
      )}
    </li>
  );
}
