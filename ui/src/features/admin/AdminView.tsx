import { useState } from "react";
import { t } from "../../i18n";
import { NumbersPanel } from "./NumbersPanel";
import { RoutingPanel } from "./RoutingPanel";
import { UsersPanel } from "./UsersPanel";
import "./admin.css";

type Section = "users" | "routing" | "numbers";

const SECTIONS: { id: Section; label: () => string }[] = [
  { id: "users", label: () => t("admin.section.users") },
  { id: "routing", label: () => t("admin.section.routing") },
  { id: "numbers", label: () => t("admin.section.numbers") },
];

/** Admins: users and roles, teams and routing as configured, and the business numbers. */
export function AdminView() {
  const [section, setSection] = useState<Section>("users");
  return (
    <main id="admin-view" className="admin-view" aria-label={t("admin.title")}>
      <nav className="admin-sections" aria-label={t("admin.sections")}>
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            id={`admin-${s.id}`}
            className="view-tab admin-tab"
            aria-current={section === s.id ? "page" : undefined}
            onClick={() => setSection(s.id)}
          >
            {s.label()}
          </button>
        ))}
      </nav>
      {section === "users" ? <UsersPanel /> : section === "routing" ? <RoutingPanel /> : <NumbersPanel />}
    </main>
  );
}
