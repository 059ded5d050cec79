import { useState } from "react";
import { t } from "../../i18n";
import { AuditPanel } from "./AuditPanel";
import { NumbersPanel } from "./NumbersPanel";
import { RoutingPanel } from "./RoutingPanel";
import { UsersPanel } from "./UsersPanel";
import "./admin.css";

type Section = "users" | "routing" | "numbers" | "audit";

const SECTIONS: { id: Section; label: () => string }[] = [
  { id: "users", label: () => t("admin.section.users") },
  { id: "routing", label: () => t("admin.section.routing") },
  { id: "numbers", label: () => t("admin.section.numbers") },
  { id: "audit", label: () => t("admin.section.audit") },
];

/** Admins: users and roles, teams and routing as configured, the business numbers, and the audit log. */
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
      {section === "users" ? (
        <UsersPanel />
      ) : section === "routing" ? (
        <RoutingPanel />
      ) : section === "numbers" ? (
        <NumbersPanel />
      ) : (
        <AuditPanel />
      )}
    </main>
  );
}
