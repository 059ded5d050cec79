import { useState } from "react";
import type { Permission } from "../../bindings/Permission";
import type { UserProfile } from "../../bindings/UserProfile";
import { t, type StringKey } from "../../i18n";
import { can } from "../session/permissions";
import { BroadcastsPanel } from "./BroadcastsPanel";
import { CostReportPanel } from "./CostReportPanel";
import { RateCardPanel } from "./RateCardPanel";
import "./broadcasts.css";

type Part = "broadcasts" | "rate_card" | "costs";

/** Each part with the permission the server asks for it. */
const PARTS: { id: Part; label: StringKey; needs: Permission }[] = [
  { id: "broadcasts", label: "broadcasts.part.broadcasts", needs: "broadcast" },
  { id: "rate_card", label: "broadcasts.part.rateCard", needs: "manage_numbers" },
  { id: "costs", label: "broadcasts.part.costs", needs: "view_reports" },
];

/** The admin view's Broadcasts section: template sends to segments, and what messages cost. */
export function BroadcastsSection({ user }: { user: UserProfile | null }) {
  const parts = PARTS.filter((p) => can(user, p.needs));
  const [chosen, setPart] = useState<Part>("broadcasts");
  const part = parts.some((p) => p.id === chosen) ? chosen : parts[0]?.id;
  return (
    <div id="broadcasts-section" className="broadcasts-section">
      <nav className="automation-parts" aria-label={t("broadcasts.parts")}>
        {parts.map((p) => (
          <button
            key={p.id}
            type="button"
            id={`broadcasts-${p.id.replace("_", "-")}`}
            className="view-tab admin-tab"
            aria-current={part === p.id ? "page" : undefined}
            onClick={() => setPart(p.id)}
          >
            {t(p.label)}
          </button>
        ))}
      </nav>
      {part === "broadcasts" ? <BroadcastsPanel canSeeResults={can(user, "view_reports")} /> : null}
      {part === "rate_card" ? <RateCardPanel /> : null}
      {part === "costs" ? <CostReportPanel /> : null}
    </div>
  );
}
