import { useState, type FormEvent, type KeyboardEvent } from "react";
import type { ConversationNote } from "../../bindings/ConversationNote";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";

type Props = { conversationId: number; onAdded: (note: ConversationNote) => void };

/** Writes an internal note: it waits in the outbox like a reply, and never reaches the customer. */
export function NoteComposer({ conversationId, onAdded }: Props) {
  const [text, setText] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    if (!text.trim() || saving) return;
    setSaving(true);
    setError(null);
    try {
      onAdded(await call("add_note", { conversation_id: conversationId, text }));
      setText("");
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    void save();
  }
  function keyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    }
  }
  return (
    <form id="note-composer" className="composer note-composer" onSubmit={submit}>
      <p className="composer-notice note-hint">🔒 {t("note.hint")}</p>
      {error && (
        <p id="note-error" className="composer-notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-row">
        <textarea
          id="note-text"
          dir="auto"
          rows={3}
          aria-label={t("note.label")}
          placeholder={t("note.placeholder")}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={keyDown}
        />
        <Button id="note-save" type="submit" variant="primary" disabled={!text.trim() || saving}>
          {t("note.save")}
        </Button>
      </div>
    </form>
  );
}
