import { useState } from "react";
import type { QuickReply } from "../../bindings/QuickReply";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";

/** The suggestions shown while the draft is `/shortcut`; click or Enter (on the first) inserts. */
export function QuickReplyMenu({ matches, onPick }: { matches: QuickReply[]; onPick: (reply: QuickReply) => void }) {
  if (matches.length === 0) return null;
  return (
    <ul id="quick-reply-menu" className="quick-reply-menu" role="listbox" aria-label={t("quickReplies.title")}>
      {matches.map((r, i) => (
        <li key={r.shortcut} role="option" aria-selected={i === 0}>
          <button type="button" className="quick-reply" onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(r)}>
            <strong>/{r.shortcut}</strong> <span dir="auto">{r.text}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

type EditorProps = { replies: QuickReply[]; onSaved: (replies: QuickReply[]) => void; onClose: () => void };

/** Edits the desk's quick replies: one shortcut and one text per line. */
export function QuickRepliesEditor({ replies, onSaved, onClose }: EditorProps) {
  const [rows, setRows] = useState<QuickReply[]>(() => [...replies, { shortcut: "", text: "" }]);
  const [error, setError] = useState<string | null>(null);
  const update = (i: number, change: Partial<QuickReply>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  async function save() {
    setError(null);
    try {
      onSaved(await call("save_quick_replies", rows));
      onClose();
    } catch (err) {
      setError(toIpcError(err).message);
    }
  }
  return (
    <div id="quick-replies-editor" className="action-panel quick-replies-editor" role="dialog" aria-label={t("quickReplies.edit")}>
      {error && (
        <p className="composer-notice notice-error" role="alert">
          {error}
        </p>
      )}
      {rows.map((r, i) => (
        <div key={i} className="quick-reply-row">
          <input aria-label={t("quickReplies.shortcut")} placeholder={t("quickReplies.shortcut")} value={r.shortcut} onChange={(e) => update(i, { shortcut: e.target.value })} />
          <input dir="auto" aria-label={t("quickReplies.text")} placeholder={t("quickReplies.text")} value={r.text} onChange={(e) => update(i, { text: e.target.value })} />
          <Button variant="ghost" aria-label={t("quickReplies.remove")} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            ×
          </Button>
        </div>
      ))}
      <div className="composer-confirm-actions">
        <Button onClick={() => setRows([...rows, { shortcut: "", text: "" }])}>{t("quickReplies.addRow")}</Button>
        <Button id="quick-replies-save" variant="primary" onClick={() => void save()}>
          {t("quickReplies.save")}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          {t("quickReplies.close")}
        </Button>
      </div>
    </div>
  );
}
