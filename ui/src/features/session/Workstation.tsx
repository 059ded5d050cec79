import { useEffect, useState } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { ConversationView } from "../conversation/ConversationView";
import { FilterView } from "../filter/FilterView";
import { AdminView } from "../admin/AdminView";
import { Inbox } from "../inbox/Inbox";
import { DoNotDisturbToggle } from "../notifications/DoNotDisturbToggle";
import { useNotificationSound } from "../notifications/useNotificationSound";
import { useInbox } from "../inbox/useInbox";
import { ReportsView } from "../reports/ReportsView";
import { ReviewView } from "../review/ReviewView";
import { contactLabel } from "../inbox/inboxModel";
import { SearchBox } from "../search/SearchBox";
import { SettingsPanel } from "../settings/SettingsPanel";
import { useDeskSettings } from "../settings/useDeskSettings";
import { SupervisorView } from "../supervisor/SupervisorView";
import { useAlerts } from "../supervisor/useAlerts";
import { AvailabilityToggle } from "./AvailabilityToggle";
import { useDesktopEvent } from "./desktopEvents";
import { SessionBanners } from "./SessionBanners";
import { BudgetWarningBanner } from "../broadcasts/BudgetWarningBanner";
import { SessionHeader } from "./SessionHeader";
import { availableViews, can } from "./permissions";
import { useAvailability } from "./useAvailability";
import { ViewSwitcher, type View } from "./ViewSwitcher";

type Props = {
  session: SessionInfo;
  onSessionChange: (session: SessionInfo) => void;
};

/**
 * The signed-in screen: header, inbox on the inline-start side, conversation
 * beside it; users whose permissions open more screens switch the body between them.
 */
export function Workstation({ session, onSessionChange }: Props) {
  const inbox = useInbox(session.connection === "online");
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [view, setView] = useState<View>("inbox");
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  // Set when signing out would discard replies not sent yet: the agent decides.
  const [unsentWarning, setUnsentWarning] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const availability = useAvailability(onSessionChange);
  const role = session.user?.role;
  // Screens follow permissions (a custom role may mix them); the server checks them again.
  const views = availableViews(session.user);
  const shown: View = views.includes(view) ? view : (views[0] ?? "inbox");
  const alerts = useAlerts(shown === "supervisor");
  const desk = useDeskSettings();
  useNotificationSound(desk.settings);

  // The core skips notifying about the conversation in front of the agent.
  const viewed = shown === "inbox" ? selectedId : null;
  useEffect(() => {
    call("set_viewed_conversation", { conversation_id: viewed }).catch(() => {});
  }, [viewed]);

  // The message a search hit pointed at, shown once its conversation opens.
  const [focusKey, setFocusKey] = useState<string | null>(null);
  function openConversation(conversationId: number, messageKey: string | null = null) {
    setSelectedId(conversationId);
    setFocusKey(messageKey);
    setView("inbox");
  }
  function selectFromInbox(conversationId: number) {
    setSelectedId(conversationId);
    setFocusKey(null);
  }

  // The board and alerts open a conversation in the inbox when this desk has it, else to review.
  const [reviewId, setReviewId] = useState<number | null>(null);
  function openFromBoard(conversationId: number) {
    if (inInbox(conversationId)) {
      openConversation(conversationId);
      return;
    }
    setReviewId(conversationId);
    setView("review");
  }

  function changeView(next: View) {
    if (next === "supervisor") alerts.markSeen();
    setView(next);
  }

  // The user clicked a native notification.
  useDesktopEvent((e) => {
    if (e.type === "open_conversation") openConversation(e.conversation_id);
  });

  function signOut() {
    setSigningOut(true);
    setSignOutError(null);
    setUnsentWarning(null);
    call("sign_out", null).then(onSessionChange, (err: unknown) => {
      const error = toIpcError(err);
      if (error.code === "unsent_replies") setUnsentWarning(error.message);
      else setSignOutError(error.message);
      setSigningOut(false);
    });
  }

  function signOutAnyway() {
    setSigningOut(true);
    setUnsentWarning(null);
    call("sign_out_confirmed", null).then(onSessionChange, (err: unknown) => {
      setSignOutError(toIpcError(err).message);
      setSigningOut(false);
    });
  }

  const selected = inbox.entries.find((e) => e.conversation.id === selectedId)?.conversation ?? null;
  const inInbox = (conversationId: number) => inbox.entries.some((e) => e.conversation.id === conversationId);

  return (
    <div className="workstation">
      <SessionHeader session={session} signingOut={signingOut} onSignOut={signOut}>
        {role === "agent" && (
          <AvailabilityToggle away={session.away} pending={availability.pending} onChange={availability.setAway} />
        )}
        {views.length > 1 && <ViewSwitcher view={shown} views={views} unseenAlerts={alerts.unseen} onChange={changeView} />}
        <SearchBox
          current={selected ? { id: selected.id, label: contactLabel(selected.contact) } : null}
          onOpen={(hit) => openConversation(hit.conversation_id, hit.message_key)}
        />
        <DoNotDisturbToggle settings={desk.settings} onChange={desk.replace} />
        <Button id="open-settings" variant="ghost" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((o) => !o)}>
          {t("settings.open")}
        </Button>
      </SessionHeader>
      <SessionBanners session={session} />
      <BudgetWarningBanner />
      {signOutError && (
        <p id="session-error" className="banner banner-error" role="alert">
          {signOutError}
        </p>
      )}
      {unsentWarning && (
        <div id="unsent-warning" className="banner banner-error" role="alert">
          <p>{unsentWarning}</p>
          <Button id="stay-signed-in" variant="secondary" onClick={() => setUnsentWarning(null)}>
            {t("session.unsent.stay")}
          </Button>
          <Button id="sign-out-anyway" variant="primary" onClick={signOutAnyway}>
            {t("session.unsent.signOutAnyway")}
          </Button>
        </div>
      )}
      {settingsOpen && <SettingsPanel onClose={() => setSettingsOpen(false)} onSignedOut={onSessionChange} />}
      {availability.error && (
        <div id="availability-error" className="banner banner-error" role="alert">
          <p>{t("session.availability.failed", { message: availability.error })}</p>
          <Button variant="ghost" onClick={availability.dismissError}>
            {t("session.dismiss")}
          </Button>
        </div>
      )}
      {shown === "supervisor" ? (
        <SupervisorView alerts={alerts.alerts} canOpen={() => true} onOpen={openFromBoard} />
      ) : shown === "reports" ? (
        <ReportsView />
      ) : shown === "filter" ? (
        <FilterView editable={can(session.user, "manage_filter")} />
      ) : shown === "review" ? (
        <ReviewView conversationId={reviewId} onSelect={setReviewId} />
      ) : shown === "admin" ? (
        <AdminView user={session.user} />
      ) : (
        <div className="workstation-body">
          <Inbox {...inbox} userId={session.user?.id ?? null} selectedId={selectedId} onSelect={selectFromInbox} />
          <section id="conversation" className="conversation">
            {selectedId === null ? (
              <p className="conversation-hint conversation-empty">{t("conversation.none")}</p>
            ) : (
              <ConversationView
                key={selectedId}
                conversationId={selectedId}
                conversation={selected}
                focusMessageKey={focusKey}
              />
            )}
          </section>
        </div>
      )}
    </div>
  );
}
