import { useState } from "react";
import type { Permission } from "../../bindings/Permission";
import type { UserProfile } from "../../bindings/UserProfile";
import { t } from "../../i18n";
import { AutomationSection } from "../automation/AutomationSection";
import { BroadcastsSection } from "../broadcasts/BroadcastsSection";
import { ContactsSection } from "../contacts/ContactsSection";
import { can } from "../session/permissions";
import { ApiTokensPanel } from "./ApiTokensPanel";
import { AuditPanel } from "./AuditPanel";
import { LegalHoldsPanel } from "./LegalHoldsPanel";
import { NumbersPanel } from "./NumbersPanel";
import { RolesPanel } from "./RolesPanel";
import { RoutingPanel } from "./RoutingPanel";
import { UsersPanel } from "./UsersPanel";
import { WebhooksPanel } from "./WebhooksPanel";
import "./admin.css";

type Section = "users" | "roles" | "routing" | "numbers" | "audit" | "holds" | "automation" | "broadcasts" | "contacts" | "webhooks" | "tokens";

/** Each panel, with the permission the server asks for what it shows. */
const SECTIONS: { id: Section; label: () => string; needs: Permission }[] = [
  { id: "users", label: () => t("admin.section.users"), needs: "manage_users" },
  { id: "roles", label: () => t("admin.section.roles"), needs: "manage_users" },
  { id: "routing", label: () => t("admin.section.routing"), needs: "manage_numbers" },
  { id: "numbers", label: () => t("admin.section.numbers"), needs: "manage_numbers" },
  { id: "audit", label: () => t("admin.section.audit"), needs: "view_audit" },
  { id: "holds", label: () => t("admin.section.holds"), needs: "manage_retention" },
  { id: "automation", label: () => t("admin.section.automation"), needs: "manage_rules" },
  { id: "broadcasts", label: () => t("broadcasts.section"), needs: "broadcast" },
  { id: "contacts", label: () => t("admin.section.contacts"), needs: "manage_contacts" },
  { id: "webhooks", label: () => t("admin.section.webhooks"), needs: "manage_webhooks" },
  { id: "tokens", label: () => t("admin.section.tokens"), needs: "manage_users" },
];

/**
 * Users and roles, teams and routing as configured, the business numbers, the audit log and
 * legal holds: each panel for those whose permissions allow it.
 */
export function AdminView({ user }: { user: UserProfile | null }) {
  const sections = SECTIONS.filter((s) => can(user, s.needs));
  const [chosen, setSection] = useState<Section>("users");
  const section = sections.some((s) => s.id === chosen) ? chosen : sections[0]?.id;
  return (
    <main id="admin-view" className="admin-view" aria-label={t("admin.title")}>
      <nav className="admin-sections" aria-label={t("admin.sections")}>
        {sections.map((s) => (
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
      ) : section === "roles" ? (
        <RolesPanel />
      ) : section === "routing" ? (
        <RoutingPanel />
      ) : section === "numbers" ? (
        <NumbersPanel />
      ) : section === "audit" ? (
        <AuditPanel />
      ) : section === "holds" ? (
        <LegalHoldsPanel />
      ) : section === "automation" ? (
        <AutomationSection user={user} />
      ) : section === "broadcasts" ? (
        <BroadcastsSection user={user} />
      ) : section === "contacts" ? (
        <ContactsSection />
      ) : section === "webhooks" ? (
        <WebhooksPanel />
      ) : section === "tokens" ? (
        <ApiTokensPanel user={user} />
      ) : null}
    </main>
  );
}
