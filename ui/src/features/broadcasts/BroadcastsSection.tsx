import type { UserProfile } from "../../bindings/UserProfile";
import { SectionPartTabs, useSectionPart, type SectionPart } from "../../components/SectionParts";
import { t } from "../../i18n";
import { can } from "../session/permissions";
import { BroadcastsPanel } from "./BroadcastsPanel";
import { BudgetsPanel } from "./BudgetsPanel";
import { CostReportPanel } from "./CostReportPanel";
import { RateCardPanel } from "./RateCardPanel";
import "./broadcasts.css";

type Part = "broadcasts" | "rate_card" | "costs";

/** Each part with the permission the server asks for it. */
const PARTS: SectionPart<Part>[] = [
  { id: "broadcasts", label: "broadcasts.part.broadcasts", needs: "broadcast" },
  { id: "rate_card", label: "broadcasts.part.rateCard", needs: "manage_numbers" },
  { id: "costs", label: "broadcasts.part.costs", needs: "view_reports" },
];

/** The admin view's Broadcasts section: template sends to segments, and what messages cost. */
export function BroadcastsSection({ user }: { user: UserProfile | null }) {
  const { visible, part, choose } = useSectionPart(user, PARTS, "broadcasts");
  return (
    <div id="broadcasts-section" className="broadcasts-section">
      <SectionPartTabs
        prefix="broadcasts"
        label={t("broadcasts.parts")}
        parts={visible}
        current={part}
        onChoose={choose}
      />
      {part === "broadcasts" ? <BroadcastsPanel canSeeResults={can(user, "view_reports")} /> : null}
      {part === "rate_card" ? <RateCardPanel /> : null}
      {part === "costs" ? (
        <>
          <BudgetsPanel canEdit={can(user, "manage_numbers")} />
          <CostReportPanel />
        </>
      ) : null}
    </div>
  );
}
