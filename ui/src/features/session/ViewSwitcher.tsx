import { t } from "../../i18n";

export type View = "inbox" | "supervisor" | "filter" | "review" | "admin";

type Props = {
  view: View;
  /** Alerts that arrived while the supervisor view was not showing. */
  unseenAlerts: number;
  /** Admins also get the admin screens. */
  admin?: boolean;
  onChange: (view: View) => void;
};

/**
 * Supervisors and admins switch between their inbox, the supervisor board and the outbound
 * filter (admins edit it; supervisors read it, test texts and see refusals), a read-only review
 * of any conversation, and (admins) the admin screens.
 */
export function ViewSwitcher({ view, unseenAlerts, admin = false, onChange }: Props) {
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
      <button
        type="button"
        id="view-review"
        className="view-tab"
        aria-current={view === "review" ? "page" : undefined}
        onClick={() => onChange("review")}
      >
        {t("session.view.review")}
      </button>
      {admin && (
        <button
          type="button"
          id="view-admin"
          className="view-tab"
          aria-current={view === "admin" ? "page" : undefined}
          onClick={() => onChange("admin")}
        >
          {t("session.view.admin")}
        </button>
      )}
    </nav>
  );
}
