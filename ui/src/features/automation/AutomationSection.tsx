import type { UserProfile } from "../../bindings/UserProfile";
import { SectionPartTabs, useSectionPart, type SectionPart } from "../../components/SectionParts";
import { t } from "../../i18n";
import { AutoRepliesPanel } from "./AutoRepliesPanel";
import { CalendarsPanel } from "./CalendarsPanel";
import { CourtesyPanel } from "./CourtesyPanel";
import { HolidayCalendarsPanel } from "./HolidayCalendarsPanel";
import "./automation.css";

type Part = "auto_replies" | "calendars" | "holiday_calendars" | "greetings" | "surveys";

/** Each automation editor with the permission the server asks for it. */
const PARTS: SectionPart<Part>[] = [
  { id: "auto_replies", label: "automation.part.autoReplies", needs: "manage_rules" },
  { id: "calendars", label: "automation.part.calendars", needs: "manage_rules" },
  { id: "holiday_calendars", label: "automation.part.holidays", needs: "manage_rules" },
  { id: "greetings", label: "automation.part.greetings", needs: "manage_rules" },
  { id: "surveys", label: "automation.part.surveys", needs: "manage_rules" },
];

/** The admin view's Automation section: what the server sends customers by itself. */
export function AutomationSection({ user }: { user: UserProfile | null }) {
  const { visible, part, choose } = useSectionPart(user, PARTS, "auto_replies");
  return (
    <div id="automation-section" className="automation-section">
      <SectionPartTabs
        prefix="automation"
        label={t("automation.parts")}
        parts={visible}
        current={part}
        onChoose={choose}
      />
      {part === "auto_replies" ? <AutoRepliesPanel /> : null}
      {part === "calendars" ? <CalendarsPanel /> : null}
      {part === "holiday_calendars" ? <HolidayCalendarsPanel /> : null}
      {part === "greetings" ? <CourtesyPanel key="greetings" kind="greetings" /> : null}
      {part === "surveys" ? <CourtesyPanel key="surveys" kind="surveys" /> : null}
    </div>
  );
}
