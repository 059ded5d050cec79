import { useState } from "react";
import type { Permission } from "../../bindings/Permission";
import type { UserProfile } from "../../bindings/UserProfile";
import { t, type StringKey } from "../../i18n";
import { can } from "../session/permissions";
import { AutoRepliesPanel } from "./AutoRepliesPanel";
import { CalendarsPanel } from "./CalendarsPanel";
import { CourtesyPanel } from "./CourtesyPanel";
import { HolidayCalendarsPanel } from "./HolidayCalendarsPanel";
import "./automation.css";

type Part = "auto_replies" | "calendars" | "holiday_calendars" | "greetings" | "surveys";

/** Each automation editor with the permission the server asks for it. */
const PARTS: { id: Part; label: StringKey; needs: Permission }[] = [
  { id: "auto_replies", label: "automation.part.autoReplies", needs: "manage_rules" },
  { id: "calendars", label: "automation.part.calendars", needs: "manage_rules" },
  { id: "holiday_calendars", label: "automation.part.holidays", needs: "manage_rules" },
  { id: "greetings", label: "automation.part.greetings", needs: "manage_rules" },
  { id: "surveys", label: "automation.part.surveys", needs: "manage_rules" },
];

/** The admin view's Automation section: what the server sends customers by itself. */
export function AutomationSection({ user }: { user: UserProfile | null }) {
  const parts = PARTS.filter((p) => can(user, p.needs));
  const [chosen, setPart] = useState<Part>("auto_replies");
  const part = parts.some((p) => p.id === chosen) ? chosen : parts[0]?.id;
  return (
    <div id="automation-section" className="automation-section">
      <nav className="automation-parts" aria-label={t("automation.parts")}>
        {parts.map((p) => (
          <button
            key={p.id}
            type="button"
            id={`automation-${p.id.replace("_", "-")}`}
            className="view-tab admin-tab"
            aria-current={part === p.id ? "page" : undefined}
            onClick={() => setPart(p.id)}
          >
            {t(p.label)}
          </button>
        ))}
      </nav>
      {part === "auto_replies" ? <AutoRepliesPanel /> : null}
      {part === "calendars" ? <CalendarsPanel /> : null}
      {part === "holiday_calendars" ? <HolidayCalendarsPanel /> : null}
      {part === "greetings" ? <CourtesyPanel key="greetings" kind="greetings" /> : null}
      {part === "surveys" ? <CourtesyPanel key="surveys" kind="surveys" /> : null}
    </div>
  );
}
