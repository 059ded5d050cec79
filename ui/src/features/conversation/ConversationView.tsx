import { useState } from "react";
import type { Conversation } from "../../bindings/Conversation";
import { t } from "../../i18n";
import { useDesktopEvent } from "../session/desktopEvents";
import { useNow } from "../supervisor/useNow";
import { Composer } from "./Composer";
import { ConversationHeader } from "./ConversationHeader";
import { MessageList } from "./MessageList";
import { NoteComposer } from "./NoteComposer";
import { TemplatePicker } from "./TemplatePicker";
import { useMessages } from "./useMessages";
import { useNotes } from "./useNotes";
import { windowRemaining } from "./windowModel";

type Props = {
  conversationId: number;
  conversation: Conversation | null;
  /** A message to scroll to and flash once it is shown (a search hit). */
  focusMessageKey?: string | null;
};

/** Render with `key={conversationId}` so switching conversations starts fresh. */
export function ConversationView({ conversationId, conversation, focusMessageKey = null }: Props) {
  const { messages, loaded, error, apply } = useMessages(conversationId);
  const { notes, add } = useNotes(conversationId);
  const [policyVersion, setPolicyVersion] = useState<number | undefined>(undefined);
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const now = useNow(30_000);
  useDesktopEvent((e) => {
    if (e.type === "filter_policy_changed") setPolicyVersion(e.version);
  });
  // Before the inbox knows the conversation the window is unknown: keep the reply box.
  const remaining = conversation ? windowRemaining(conversation.last_inbound_at, now) : Number.POSITIVE_INFINITY;
  return (
    <>
      <ConversationHeader id={conversationId} conversation={conversation} windowRemaining={remaining} now={now} />
      <MessageList messages={messages} notes={notes} loaded={loaded} error={error} focusKey={focusMessageKey} />
      <div className="composer-modes" role="tablist" aria-label={t("composer.modes")}>
        <button id="mode-reply" type="button" role="tab" aria-selected={mode === "reply"} className="composer-mode" onClick={() => setMode("reply")}>
          {t("composer.modeReply")}
        </button>
        <button id="mode-note" type="button" role="tab" aria-selected={mode === "note"} className="composer-mode" onClick={() => setMode("note")}>
          {t("composer.modeNote")}
        </button>
      </div>
      {mode === "note" ? (
        <NoteComposer conversationId={conversationId} onAdded={add} />
      ) : remaining > 0 ? (
        <Composer conversationId={conversationId} onSent={apply} policyVersion={policyVersion} />
      ) : (
        <TemplatePicker conversationId={conversationId} onSent={apply} />
      )}
    </>
  );
}
