import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { FilterReport } from "../../bindings/FilterReport";
import type { Message } from "../../bindings/Message";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { FilterHighlights } from "./FilterHighlights";
import { FilterRules } from "./FilterRules";
import { QuickRepliesEditor, QuickReplyMenu } from "./QuickReplies";
import { quickReplyMatches } from "./quickReplyModel";
import type { QuickReply } from "../../bindings/QuickReply";

type Props = {
  conversationId: number;
  /** Receives the message send_reply returned, so it shows before any event. */
  onSent: (message: Message) => void;
  /** The filter policy version the desk enforces; a new one re-checks the draft. */
  policyVersion?: number;
};

export function Composer({ conversationId, onSent, policyVersion }: Props) {
  const [text, setText] = useState("");
  const [report, setReport] = useState<FilterReport | null>(null);
  const [sending, setSending] = useState(false);
  const [serverBlock, setServerBlock] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  /** The core's warning for the draft, waiting for the agent to confirm or edit. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const checkSeq = useRef(0);
  const mirrorRef = useRef<HTMLDivElement>(null);
  const [quickReplies, setQuickReplies] = useState<QuickReply[]>([]);
  const [quickPanel, setQuickPanel] = useState<"none" | "list" | "edit">("none");

  useEffect(() => {
    let current = true;
    // Quick replies are a convenience: without them the reply box works as before.
    call("quick_replies", null).then((list) => current && setQuickReplies(list), () => undefined);
    return () => {
      current = false;
    };
  }, []);

  function checkText(draft: string) {
    // Every keystroke starts a check; only the newest answer may land, since
    // answers can arrive out of order.
    const seq = ++checkSeq.current;
    if (!draft.trim()) {
      setReport(null);
      return;
    }
    call("check_text", { text: draft, conversation_id: conversationId }).then(
      (next) => {
        if (seq === checkSeq.current) setReport(next);
      },
      // Checking is advisory: send_reply re-checks on the core, so a failed
      // check only means no highlights for now.
      () => undefined,
    );
  }

  // A new policy may block, warn about or mask what is already typed.
  const lastPolicy = useRef(policyVersion);
  useEffect(() => {
    if (lastPolicy.current === policyVersion) return;
    lastPolicy.current = policyVersion;
    setServerBlock(null);
    checkText(text);
    // Only a policy change re-checks here; typing re-checks in updateDraft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [policyVersion]);

  function updateDraft(draft: string) {
    setText(draft);
    setServerBlock(null);
    setSendError(null);
    setConfirming(null);
    checkText(draft);
  }

  const blockedMatch = report?.blocked ? (report.matches.find((m) => m.action === "block") ?? report.matches[0]) : undefined;
  const warnMatches = report && !report.blocked ? report.matches.filter((m) => m.action === "warn") : [];
  const filterWarning =
    serverBlock ?? (report?.blocked ? t("composer.blocked", { phrase: blockedMatch?.phrase ?? "" }) : null);
  const canSend = text.trim().length > 0 && !sending && !report?.blocked && serverBlock === null && confirming === null;

  async function send(confirmed: boolean) {
    if (!confirmed && !canSend) return;
    setSending(true);
    setSendError(null);
    setConfirming(null);
    try {
      const request = { conversation_id: conversationId, text };
      const message = confirmed ? await call("send_reply_confirmed", request) : await call("send_reply", request);
      onSent(message);
      checkSeq.current++; // discard checks still in flight for the sent text
      setText("");
      setReport(null);
    } catch (err) {
      const error = toIpcError(err);
      if (error.code === "blocked_by_filter") setServerBlock(error.message);
      else if (error.code === "filter_warning") setConfirming(error.message);
      else setSendError(error.message);
    } finally {
      setSending(false);
    }
  }

  function handleSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void send(false);
  }

  const quickMatches = quickPanel === "list" ? quickReplies : quickReplyMatches(text, quickReplies);

  function pickQuickReply(reply: QuickReply) {
    setQuickPanel("none");
    updateDraft(reply.text);
  }

  function handleKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    const firstMatch = quickMatches[0];
    if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && !e.shiftKey && firstMatch && !e.nativeEvent.isComposing) {
      e.preventDefault();
      pickQuickReply(firstMatch);
      return;
    }
    // Plain Enter stays a newline: replies are often multi-line.
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send(false);
    }
  }

  const phrases = (list: { phrase: string }[]) => [...new Set(list.map((m) => `“${m.phrase}”`))].join(", ");

  return (
    <form className="composer" onSubmit={handleSubmit}>
      {filterWarning && (
        <p id="filter-warning" className="composer-notice notice-error" role="alert">
          {filterWarning}
        </p>
      )}
      {warnMatches.length > 0 && !confirming && (
        <p id="filter-caution" className="composer-notice notice-caution" role="status">
          {t("composer.caution", { phrases: phrases(warnMatches) })}
        </p>
      )}
      {confirming && (
        <div id="filter-confirm" className="composer-notice notice-caution composer-confirm" role="alertdialog" aria-labelledby="filter-confirm-text">
          <p id="filter-confirm-text">{confirming}</p>
          <div className="composer-confirm-actions">
            <Button id="confirm-send" variant="primary" autoFocus onClick={() => void send(true)}>
              {t("composer.sendAnyway")}
            </Button>
            <Button id="cancel-send" variant="ghost" onClick={() => setConfirming(null)}>
              {t("composer.editFirst")}
            </Button>
          </div>
        </div>
      )}
      {sendError && (
        <p id="send-error" className="composer-notice notice-error" role="alert">
          {sendError}
        </p>
      )}
      <QuickReplyMenu matches={quickMatches} onPick={pickQuickReply} />
      {quickPanel === "edit" && (
        <QuickRepliesEditor replies={quickReplies} onSaved={setQuickReplies} onClose={() => setQuickPanel("none")} />
      )}
      <div className="composer-tools">
        <Button id="quick-replies" variant="ghost" aria-expanded={quickPanel === "list"} onClick={() => setQuickPanel(quickPanel === "list" ? "none" : "list")}>
          {t("quickReplies.title")}
        </Button>
        <Button id="quick-replies-edit" variant="ghost" onClick={() => setQuickPanel(quickPanel === "edit" ? "none" : "edit")}>
          {t("quickReplies.edit")}
        </Button>
      </div>
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
            aria-describedby={filterWarning ? "filter-warning" : report?.matches.length ? "filter-matches" : undefined}
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
      {report?.masked && (
        <p id="masked-preview" className="composer-preview" dir="auto">
          {t("composer.maskedPreview")} <bdi>{report.masked}</bdi>
        </p>
      )}
      <FilterRules text={text} matches={report?.matches ?? []} />
    </form>
  );
}
