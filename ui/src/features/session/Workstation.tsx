import { useState } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { ConversationView } from "../conversation/ConversationView";
import { Inbox } from "../inbox/Inbox";
import { useInbox } from "../inbox/useInbox";
import { useDesktopEvent } from "./desktopEvents";
import { SessionBanners } from "./SessionBanners";
import { SessionHeader } from "./SessionHeader";

type Props = {
  session: SessionInfo;
  onSessionChange: (session: SessionInfo) => void;
};

/** The signed-in screen: header, inbox on the inline-start side, conversation beside it. */
export function Workstation({ session, onSessionChange }: Props) {
  const inbox = useInbox(session.connection === "online");
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  // The agent clicked a native notification.
  useDesktopEvent((e) => {
    if (e.type === "open_conversation") setSelectedId(e.conversation_id);
  });

  function signOut() {
    setSigningOut(true);
    setSignOutError(null);
    call("sign_out", null).then(onSessionChange, (err: unknown) => {
      setSignOutError(toIpcError(err).message);
      setSigningOut(false);
    });
  }

  const selected = inbox.entries.find((e) => e.conversation.id === selectedId)?.conversation ?? null;

  return (
    <div className="workstation">
      <SessionHeader session={session} signingOut={signingOut} onSignOut={signOut} />
      <SessionBanners session={session} />
      {signOutError && (
        <p id="session-error" className="banner banner-error" role="alert">
          {signOutError}
        </p>
      )}
      <div className="workstation-body">
        <Inbox {...inbox} selectedId={selectedId} onSelect={setSelectedId} />
        <section id="conversation" className="conversation">
          {selectedId === null ? (
            <p className="conversation-hint conversation-empty">{t("conversation.none")}</p>
          ) : (
            <ConversationView key={selectedId} conversationId={selectedId} conversation={selected} />
          )}
        </section>
      </div>
    </div>
  );
}
