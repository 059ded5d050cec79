import { t } from "../../i18n";

export type View = "inbox" | "supervisor";

type Props = {
  view: View;
  /** Alerts that arrived while the supervisor view was not showing. */
  unseenAlerts: number;
  onChange: (view: View) => void;
};

/** Supervisors and admins switch between their inbox and the supervisor board. */
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
    </nav>
  );
}
