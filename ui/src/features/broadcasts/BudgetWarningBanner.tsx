import { useState } from "react";
import type { BudgetWarning } from "../../bindings/BudgetWarning";
import { Button } from "../../components/Button";
import { t, useLocale } from "../../i18n";
import { useDesktopEvent } from "../session/desktopEvents";
import { formatMoney } from "./broadcastModel";
import { budgetName } from "./BudgetsPanel";

/**
 * The desk's banner for budget warnings. The server sends them only to users who see costs,
 * once per budget, threshold and month; each stays until dismissed.
 */
export function BudgetWarningBanner() {
  useLocale();
  const [warnings, setWarnings] = useState<BudgetWarning[]>([]);
  useDesktopEvent((e) => {
    if (e.type === "budget_warning") setWarnings((all) => [...all, e.warning]);
  });
  if (warnings.length === 0) return null;
  return (
    <div id="budget-warnings" className="budget-warnings">
      {warnings.map((w, i) => {
        const text = t(w.threshold >= 100 ? "budgets.banner.reached" : "budgets.banner.crossed", {
          name: budgetName(w.scope, w.label),
          threshold: w.threshold,
          spent: formatMoney(w.spent.amount_micros, w.spent.currency),
          cap: formatMoney(w.cap.amount_micros, w.cap.currency),
        });
        return (
          <div key={`${w.scope}-${w.target}-${w.month}-${w.threshold}-${i}`} className="banner banner-warning budget-warning" role="alert">
            <p dir="auto">{text}</p>
            <Button variant="ghost" onClick={() => setWarnings((all) => all.filter((_, j) => j !== i))}>
              {t("budgets.banner.dismiss")}
            </Button>
          </div>
        );
      })}
    </div>
  );
}
