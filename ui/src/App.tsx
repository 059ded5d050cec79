import { useCallback, useEffect, useRef, useState } from "react";
import type { SessionInfo } from "./bindings/SessionInfo";
import { Button } from "./components/Button";
import { LoginScreen } from "./features/login/LoginScreen";
import { DesktopEventHub, DesktopEventsProvider } from "./features/session/desktopEvents";
import { Workstation } from "./features/session/Workstation";
import { forgetKeptDrafts } from "./features/automation/keptDrafts";
import { t, useLocale } from "./i18n";
import { call, onDesktopEvent, toIpcError } from "./ipc";

type Boot = { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready"; session: SessionInfo };

export function App() {
  // Subscribing here re-renders the whole tree in the new language when the agent switches.
  const locale = useLocale();
  // Native notifications and the tray speak the same language as the window.
  useEffect(() => {
    call("set_language", { language: locale }).catch((err: unknown) =>
      console.warn("could not pass the language to the desk", toIpcError(err).message),
    );
  }, [locale]);
  const [hub] = useState(() => new DesktopEventHub());
  const [boot, setBoot] = useState<Boot>({ kind: "loading" });

  // The newest session state shown: an answer read before a change already heard of (a
  // sign-in's answer arriving after the "online" event, on a busy machine) is older, and
  // showing it would leave the desk saying "Connecting…" while it is online.
  const shownRevision = useRef(-1);
  const showSession = useCallback((session: SessionInfo) => {
    if (session.revision < shownRevision.current) return;
    shownRevision.current = session.revision;
    // Unsaved admin edits belong to the session that wrote them.
    if (!session.signed_in) forgetKeptDrafts();
    setBoot({ kind: "ready", session });
  }, []);

  const loadSession = useCallback(() => {
    call("session_status", null).then(showSession, (err: unknown) =>
      setBoot({ kind: "failed", message: toIpcError(err).message }),
    );
  }, [showSession]);

  useEffect(() => {
    // Subscribe before asking for the status, and let a session_changed event
    // win over a slower status answer, so the newest session state is shown.
    let sawSessionEvent = false;
    const unlisten = onDesktopEvent((e) => {
      if (e.type === "session_changed") {
        sawSessionEvent = true;
        showSession(e.session);
      }
      hub.emit(e);
    });
    call("session_status", null).then(
      (session) => {
        if (!sawSessionEvent) showSession(session);
      },
      (err: unknown) => {
        if (!sawSessionEvent) setBoot({ kind: "failed", message: toIpcError(err).message });
      },
    );
    return () => {
      void unlisten.then((stop) => stop());
    };
  }, [hub, showSession]);

  if (boot.kind === "loading") {
    return <p className="app-status">{t("app.loading")}</p>;
  }
  if (boot.kind === "failed") {
    return (
      <div className="app-status" role="alert">
        <p>{t("app.bootError", { message: boot.message })}</p>
        <Button
          variant="primary"
          onClick={() => {
            setBoot({ kind: "loading" });
            loadSession();
          }}
        >
          {t("app.retry")}
        </Button>
      </div>
    );
  }

  const { session } = boot;
  return (
    <DesktopEventsProvider hub={hub}>
      {session.signed_in ? (
        // Keyed by user so nothing from one agent's session survives into the next.
        <Workstation key={session.user?.id ?? "anonymous"} session={session} onSessionChange={showSession} />
      ) : (
        <LoginScreen initialServerUrl={session.server_url} onSignedIn={showSession} />
      )}
    </DesktopEventsProvider>
  );
}
