import { t, type StringKey } from "../../i18n";

export type View = "inbox" | "supervisor" | "filter" | "review" | "admin";

type Props = {
  view: View;
  /** Alerts that arrived while the supervisor view was not showing. */
  unseenAlerts: number;
  /** Admins also get the admin screens. */
  admin?: boolean;
  onChange: (view: View) => void;
};

const LABELS: Record<View, StringKey> = {
  inbox: "session.view.inbox",
  supervisor: "session.view.supervisor",
  filter: "session.view.filter",
  review: "session.view.review",
  admin: "session.view.admin",
};

/**
 * Supervisors and admins switch between their inbox, the supervisor board and the outbound
 * filter (admins edit it; supervisors read it, test texts and see refusals), a read-only review
 * of any conversation, and (admins) the admin screens.
 */
export function ViewSwitcher({ view, unseenAlerts, admin = false, onChange }: Props) {
  const views: View[] = ["inbox", "supervisor", "filter", "review", ...(admin ? (["admin"] as const) : [])];
  return (
    <nav className="view-switcher" aria-label={t("session.views")}>
      {views.map((each) => (
        <button
          key={each}
          type="button"
          id={`view-${each}`}
          className="view-tab"
          aria-current={view === each ? "page" : undefined}
          onClick={() => onChange(each)}
        >
          {t(LABELS[each])}
          {each === "supervisor" && unseenAlerts > 0 && (
            <span className="view-badge" aria-label={t("session.view.unseenAlerts", { count: unseenAlerts })}>
              {unseenAlerts}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}
