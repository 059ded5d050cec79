import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { FilterReport } from "../../bindings/FilterReport";
import type { Message } from "../../bindings/Message";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { FilterHighlights } from "./FilterHighlights";

type Props = {
  conversationId: number;
  /** Receives the message send_reply returned, so it shows before any event. */
  onSent: (message: Message) => void;
};

export function Composer({ conversationId, onSent }: Props) {
  const [text, setText] = useState("");
  const [report, setReport] = useState<FilterReport | null>(null);
  const [sending, setSending] = useState(false);
  const [serverBlock, setServerBlock] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const checkSeq = useRef(0);
  const mirrorRef = useRef<HTMLDivElement>(null);

  function checkText(draft: string) {
    // Every keystroke starts a check; only the newest answer may land, since
    // answers can arrive out of order.
    const seq = ++checkSeq.current;
    if (!draft.trim()) {
      setReport(null);
      return;
    }
    call("check_text", { text: draft }).then(
      (next) => {
        if (seq === checkSeq.current) setReport(next);
      },
      // Checking is advisory: send_reply re-checks on the core, so a failed
      // check only means no highlights for now.
      () => undefined,
    );
  }

  function updateDraft(draft: string) {
    setText(draft);
    setServerBlock(null);
    setSendError(null);
    checkText(draft);
  }

  const blockedMatch = report?.blocked ? (report.matches.find((m) => m.action === "block") ?? report.matches[0]) : undefined;
  const warnMatch = report && !report.blocked ? report.matches.find((m) => m.action === "warn") : undefined;
  const filterWarning =
    serverBlock ?? (report?.blocked ? t("composer.blocked", { phrase: blockedMatch?.phrase ?? "" }) : null);
  const canSend = text.trim().length > 0 && !sending && !report?.blocked && serverBlock === null;

  async function send() {
    if (!canSend) return;
    setSending(true);
    setSendError(null);
    try {
      const message = await call("send_reply", { conversation_id: conversationId, text });
      onSent(message);
      checkSeq.current++; // discard checks still in flight for the sent text
      setText("");
      setReport(null);
    } catch (err) {
      const error = toIpcError(err);
      if (error.code === "blocked_by_filter") setServerBlock(error.message);
      else setSendError(error.message);
    } finally {
      setSending(false);
    }
  }

  function handleSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void send();
  }

  function handleKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Plain Enter stays a newline: replies are often multi-line.
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  return (
    <form className="composer" onSubmit={handleSubmit}>
      {filterWarning && (
        <p id="filter-warning" className="composer-notice notice-error" role="alert">
          {filterWarning}
        </p>
      )}
      {warnMatch && (
        <p id="filter-caution" className="composer-notice notice-caution" role="status">
          {t("composer.caution", { phrase: warnMatch.phrase })}
        </p>
      )}
      {sendError && (
        <p id="send-error" className="composer-notice notice-error" role="alert">
          {sendError}
        </p>
      )}
      <div className="composer-row">
        <div className="composer-field">
          <div className="composer-mirror" ref={mirrorRef} dir="auto" aria-hidden="true">
            <FilterHighlights text={text} matches={report?.matches ?? []} />
          </div>
          <textarea
            id="composer"
            dir="auto"
            rows={3}
            aria-label={t("composer.label")}
            aria-invalid={filterWarning ? true : undefined}
            aria-describedby={filterWarning ? "filter-warning" : undefined}
            placeholder={t("composer.placeholder")}
            value={text}
            readOnly={sending}
            onChange={(e) => updateDraft(e.target.value)}
            onKeyDown={handleKeyDown}
            onScroll={(e) => {
              // The highlight layer must scroll with the text it underlines.
              if (mirrorRef.current) mirrorRef.current.scrollTop = e.currentTarget.scrollTop;
            }}
          />
        </div>
        <Button id="send" type="submit" variant="primary" disabled={!canSend}>
          {sending ? t("composer.sending") : t("composer.send")}
        </Button>
      </div>
    </form>
  );
}
