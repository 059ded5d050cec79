import { t, type StringKey } from "../../i18n";

import type { View } from "./permissions";

export type { View };

type Props = {
  view: View;
  /** The views this user's permissions open (see `availableViews`). */
  views: View[];
  /** Alerts that arrived while the supervisor view was not showing. */
  unseenAlerts: number;
  onChange: (view: View) => void;
};

const LABELS: Record<View, StringKey> = {
  inbox: "session.view.inbox",
  supervisor: "session.view.supervisor",
  reports: "session.view.reports",
  filter: "session.view.filter",
  review: "session.view.review",
  admin: "session.view.admin",
};

/** Switches between the views `availableViews` gave (shown only when there is a choice). */
export function ViewSwitcher({ view, views, unseenAlerts, onChange }: Props) {
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
