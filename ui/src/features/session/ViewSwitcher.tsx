import { t } from "../../i18n";

export type View = "inbox" | "supervisor" | "filter";

type Props = {
  view: View;
  /** Alerts that arrived while the supervisor view was not showing. */
  unseenAlerts: number;
  onChange: (view: View) => void;
};

/**
 * Supervisors and admins switch between their inbox, the supervisor board and the outbound
 * filter (admins edit it; supervisors read it, test texts and see refusals).
 */
export function ViewSwitcher({ view, unseenAlerts, onChange }: Props) {
  return (
    <nav className="view-switcher" aria-label={t("session.views")}>
      <button
        type="button"
        id="view-inbox"
        className="view-tab"
        aria-current={view === "inbox" ? "page" : undefined}
        onClick={() => onChange("inbox")}
      >
        {t("session.view.inbox")}
      </button>
      <button
        type="button"
        id="view-supervisor"
        className="view-tab"
        aria-current={view === "supervisor" ? "page" : undefined}
        onClick={() => onChange("supervisor")}
      >
        {t("session.view.supervisor")}
        {unseenAlerts > 0 && (
          <span className="view-badge" aria-label={t("session.view.unseenAlerts", { count: unseenAlerts })}>
            {unseenAlerts}
          </span>
        )}
      </button>
      <button
        type="button"
        id="view-filter"
        className="view-tab"
        aria-current={view === "filter" ? "page" : undefined}
        onClick={() => onChange("filter")}
      >
        {t("session.view.filter")}
      </button>
    </nav>
  );
}
