import { useEffect, useState } from "react";
import type { Broadcast } from "../../bindings/Broadcast";
import type { BroadcastPreview } from "../../bindings/BroadcastPreview";
import type { ExclusionReason } from "../../bindings/ExclusionReason";
import type { IpcError } from "../../bindings/IpcError";
import { Button } from "../../components/Button";
import { t, useLocale, type StringKey } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { BroadcastActions } from "./BroadcastActions";
import { formatCount, formatMoney } from "./broadcastModel";
import { tightest } from "./budgetModel";
import { budgetName } from "./BudgetsPanel";
import { categoryName, EstimateTable, formatTotals } from "./CostTables";

/** Each reason a contact is left out, as the admin reads it; the order is the screen's. */
export const EXCLUSION_LABELS: Record<ExclusionReason, StringKey> = {
  opted_out: "broadcasts.exclusion.optedOut",
  no_whatsapp_id: "broadcasts.exclusion.invalid",
  over_tier_budget: "broadcasts.exclusion.overTierBudget",
  missing_parameter: "broadcasts.exclusion.missingParameter",
  blocked_by_filter: "broadcasts.exclusion.blockedByFilter",
  merged: "broadcasts.exclusion.merged",
};

/** Exclusions by reason, each with its count; reasons the desk does not know yet keep their word. */
export function ExclusionList({ exclusions }: { exclusions: Partial<Record<string, number>> }) {
  const entries = Object.entries(exclusions).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return <p className="admin-note">{t("broadcasts.exclusions.none")}</p>;
  return (
    <ul id="broadcast-exclusions" className="broadcast-exclusions" aria-label={t("broadcasts.exclusions")}>
      {entries.map(([reason, n]) => {
        const label = EXCLUSION_LABELS[reason as ExclusionReason];
        return (
          <li key={reason} className="broadcast-exclusion" data-reason={reason} data-count={n}>
            {t("broadcasts.exclusion", { reason: label ? t(label) : reason, count: n ?? 0, shown: formatCount(n ?? 0) })}
          </li>
        );
      })}
    </ul>
  );
}

type Props = {
  broadcast: Broadcast;
  /** When the form says it should start (null: now). */
  startAt: number | null;
  /** The form has edits not saved yet: the preview and the buttons are of what is saved. */
  unsaved: boolean;
  /** Why the time the form gives cannot be used, if it cannot. */
  timeProblem: string | null;
  onChanged: (broadcast: Broadcast) => void;
};

/**
 * Before a saved draft goes: who would receive it now, who is left out and why, what it would
 * cost by the rate card, and the message as one recipient would read it; then the button that
 * schedules or starts it, asking first with those figures.
 */
export function BroadcastPreviewPanel({ broadcast, startAt, unsaved, timeProblem, onChanged }: Props) {
  useLocale();
  const [round, setRound] = useState(0);
  // The answer with what it answers (the saved draft's version and the round asked), so a
  // preview of an older version is never shown as the current one.
  const [answer, setAnswer] = useState<{ of: string; preview: BroadcastPreview | null; error: IpcError | null } | null>(null);
  const key = `${broadcast.id}:${broadcast.updated_at}:${round}`;
  const loading = answer?.of !== key;
  const preview = answer?.preview ?? null;
  const error = answer?.error ?? null;

  useEffect(() => {
    let current = true;
    call("preview_broadcast", { id: broadcast.id }).then(
      (p) => current && setAnswer({ of: key, preview: p, error: null }),
      (err: unknown) => current && setAnswer({ of: key, preview: null, error: toIpcError(err) }),
    );
    return () => {
      current = false;
    };
  }, [broadcast.id, key]);

  const holdBack = unsaved
    ? t("broadcasts.preview.saveFirst")
    : timeProblem
      ? timeProblem
      : preview?.blocked
      ? t("broadcasts.preview.blockedHold")
      : preview && preview.recipients === 0
        ? t("broadcasts.preview.nobody")
        : null;
  const cost = preview ? (preview.cost.rate_card ? formatTotals(preview.cost.totals) : t("broadcasts.cost.unknown")) : "";
  const budget = tightest(preview?.budgets);
  const overBudget =
    budget && budget.exceeded
      ? t("broadcasts.preview.overBudget", {
          name: budgetName(budget.scope, budget.label),
          left: formatMoney(budget.remaining.amount_micros, budget.remaining.currency),
        })
      : null;

  return (
    <section id="broadcast-preview" className="broadcast-preview" aria-labelledby="broadcast-preview-title" aria-busy={loading}>
      <div className="broadcast-heading">
        <h3 id="broadcast-preview-title" className="admin-subtitle">
          {t("broadcasts.preview")}
        </h3>
        <Button id="broadcast-preview-refresh" variant="ghost" onClick={() => setRound((r) => r + 1)} disabled={loading}>
          {t("broadcasts.preview.refresh")}
        </Button>
      </div>
      {error && (
        <p id="broadcast-preview-error" className="load-error" role="alert" data-code={error.code} dir="auto">
          {error.message}
        </p>
      )}
      {preview && (
        <>
          <dl className="admin-facts">
            <div>
              <dt>{t("broadcasts.preview.audience")}</dt>
              <dd id="broadcast-preview-audience">{formatCount(preview.audience)}</dd>
            </div>
            <div>
              <dt>{t("broadcasts.preview.recipients")}</dt>
              <dd id="broadcast-preview-recipients" data-count={preview.recipients}>
                {formatCount(preview.recipients)}
              </dd>
            </div>
            <div>
              <dt>{t("broadcasts.preview.category")}</dt>
              <dd>{categoryName(preview.category)}</dd>
            </div>
            <div>
              <dt>{t("broadcasts.preview.cost")}</dt>
              <dd id="broadcast-preview-cost">{cost}</dd>
            </div>
            {budget && (
              <div>
                <dt>{t("broadcasts.preview.budgetLeft", { name: budgetName(budget.scope, budget.label) })}</dt>
                <dd id="broadcast-preview-budget" data-exceeded={budget.exceeded} className={budget.exceeded ? "broadcast-budget-over" : undefined}>
                  {formatMoney(budget.remaining.amount_micros, budget.remaining.currency)}
                </dd>
              </div>
            )}
          </dl>
          {overBudget && (
            <p id="broadcast-over-budget-note" className="admin-note broadcast-caution" dir="auto">
              {overBudget}
            </p>
          )}
          {preview.blocked && (
            <p id="broadcast-blocked" className="load-error" role="alert" dir="auto">
              {preview.blocked}
            </p>
          )}
          <h4 className="broadcast-minor-title">{t("broadcasts.exclusions")}</h4>
          <ExclusionList exclusions={preview.exclusions} />
          <EstimateTable estimate={preview.cost} />
          {preview.sample !== null && (
            <figure className="broadcast-sample">
              <figcaption>{t("broadcasts.preview.sample")}</figcaption>
              <p id="broadcast-sample" dir="auto">
                {preview.sample}
              </p>
            </figure>
          )}
        </>
      )}
      <BroadcastActions
        broadcast={broadcast}
        startAt={startAt}
        estimate={preview && !unsaved ? { recipients: preview.recipients, cost } : null}
        holdBack={holdBack}
        overBudget={unsaved ? null : overBudget}
        onChanged={onChanged}
      />
    </section>
  );
}
