import { useEffect, useState } from "react";
import type { BudgetOverview } from "../../bindings/BudgetOverview";
import type { BudgetScope } from "../../bindings/BudgetScope";
import type { BudgetStatus } from "../../bindings/BudgetStatus";
import type { NumberSummary } from "../../bindings/NumberSummary";
import type { TeamSummary } from "../../bindings/TeamSummary";
import { Button } from "../../components/Button";
import { t, useLocale, type StringKey } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { formatMoney } from "./broadcastModel";
import { barOf, budgetsOf, draftOf, type BudgetDraft } from "./budgetModel";

const SCOPES: { id: BudgetScope; label: StringKey }[] = [
  { id: "account", label: "budgets.scope.account" },
  { id: "number", label: "budgets.scope.number" },
  { id: "team", label: "budgets.scope.team" },
];

const FIELDS: Record<"target" | "amount" | "thresholds", StringKey> = {
  target: "budgets.problem.target",
  amount: "budgets.problem.amount",
  thresholds: "budgets.problem.thresholds",
};

/** A budget's name as the reader knows it. */
export function budgetName(scope: BudgetScope, label: string): string {
  if (scope === "account") return t("budgets.scope.account");
  return t(scope === "number" ? "budgets.name.number" : "budgets.name.team", { name: label });
}

function StatusBar({ status, index }: { status: BudgetStatus; index: number }) {
  const { fill, level } = barOf(status);
  const currency = status.budget.cap.currency;
  const name = budgetName(status.budget.scope, status.label);
  const id = `budget-status-${index}`;
  return (
    <li className={`budget-status budget-${level}`} data-level={level}>
      <div className="budget-status-heading">
        <span id={`${id}-name`} dir="auto">
          {name}
        </span>
        <span className="numeric">
          {t("budgets.spentOf", {
            spent: formatMoney(status.spent_micros, currency),
            cap: formatMoney(status.budget.cap.amount_micros, currency),
            percent: status.percent,
          })}
        </span>
      </div>
      <div
        className="budget-bar"
        role="progressbar"
        aria-labelledby={`${id}-name`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fill}
        aria-valuetext={t("budgets.percent", { percent: status.percent })}
      >
        <div className="budget-bar-fill" style={{ inlineSize: `${fill}%` }} />
      </div>
      <p className="admin-note">
        {t("budgets.projected", { amount: formatMoney(status.projected_micros, currency) })}
        {status.warned.length > 0 && ` ${t("budgets.warned", { thresholds: status.warned.join(", ") })}`}
      </p>
    </li>
  );
}

/**
 * Monthly budgets (report viewers see where they stand; number managers edit them): a bar per
 * budget with this month's spend, the cap and the projected month end, and an editor that
 * replaces the whole list.
 */
export function BudgetsPanel({ canEdit }: { canEdit: boolean }) {
  useLocale();
  const [overview, setOverview] = useState<BudgetOverview | null>(null);
  const [drafts, setDrafts] = useState<BudgetDraft[] | null>(null);
  const [teams, setTeams] = useState<TeamSummary[]>([]);
  const [numbers, setNumbers] = useState<NumberSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let current = true;
    call("budgets", null).then(
      (answer) => current && setOverview(answer),
      (err: unknown) => current && setError(toIpcError(err).message),
    );
    if (canEdit) {
      call("list_teams", null).then((answer) => current && setTeams(answer), () => {});
      call("business_numbers", null).then((answer) => current && setNumbers(answer), () => {});
    }
    return () => {
      current = false;
    };
  }, [canEdit]);

  const currency = overview?.currency ?? "USD";

  function change(index: number, patch: Partial<BudgetDraft>) {
    setSaved(false);
    setDrafts((all) => all && all.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  }

  async function save() {
    if (!drafts) return;
    const checked = budgetsOf(drafts);
    if ("index" in checked) {
      setProblem(t(FIELDS[checked.field], { n: checked.index + 1 }));
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      const answer = await call("save_budgets", { budgets: checked.budgets });
      setOverview(answer);
      setDrafts(null);
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section id="budgets" className="board-section admin-panel budgets-panel" aria-labelledby="budgets-title">
      <h2 id="budgets-title" className="board-title">
        {t("budgets.title")}
      </h2>
      <p className="admin-note">{t("budgets.note")}</p>
      {error && (
        <p id="budgets-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {overview && overview.budgets.length === 0 && <p className="admin-note">{t("budgets.none")}</p>}
      {overview && overview.budgets.length > 0 && (
        <ul className="budget-list" aria-label={t("budgets.month", { month: overview.month })}>
          {overview.budgets.map((status, i) => (
            <StatusBar key={`${status.budget.scope}-${status.budget.target}`} status={status} index={i} />
          ))}
        </ul>
      )}
      {saved && <p className="admin-note" role="status">{t("budgets.saved")}</p>}
      {canEdit && overview && drafts === null && (
        <Button id="budgets-edit" variant="secondary" onClick={() => setDrafts(overview.budgets.map((s) => draftOf(s.budget)))}>
          {t("budgets.edit")}
        </Button>
      )}
      {canEdit && drafts !== null && (
        <form
          id="budgets-editor"
          className="budget-editor"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {drafts.map((d, i) => (
            <fieldset key={i} className="budget-row">
              <legend>{t("budgets.row", { n: i + 1 })}</legend>
              <div className="automation-field">
                <label htmlFor={`budget-scope-${i}`}>{t("budgets.scope")}</label>
                <select id={`budget-scope-${i}`} value={d.scope} onChange={(e) => change(i, { scope: e.target.value as BudgetScope, target: "" })}>
                  {SCOPES.map((s) => (
                    <option key={s.id} value={s.id}>
                      {t(s.label)}
                    </option>
                  ))}
                </select>
              </div>
              {d.scope !== "account" && (
                <div className="automation-field">
                  <label htmlFor={`budget-target-${i}`}>{t(d.scope === "number" ? "budgets.scope.number" : "budgets.scope.team")}</label>
                  <select id={`budget-target-${i}`} value={d.target} onChange={(e) => change(i, { target: e.target.value })}>
                    <option value="">{t("budgets.choose")}</option>
                    {d.scope === "number"
                      ? numbers.map((n) => (
                          <option key={n.phone_number_id} value={n.phone_number_id}>
                            {`${n.name} (${n.display_number})`}
                          </option>
                        ))
                      : teams.map((team) => (
                          <option key={team.id} value={String(team.id)}>
                            {team.name}
                          </option>
                        ))}
                  </select>
                </div>
              )}
              <div className="automation-field">
                <label htmlFor={`budget-amount-${i}`}>{t("budgets.cap", { currency: d.currency })}</label>
                <input id={`budget-amount-${i}`} inputMode="decimal" dir="ltr" value={d.amount} onChange={(e) => change(i, { amount: e.target.value })} />
              </div>
              <div className="automation-field">
                <label htmlFor={`budget-thresholds-${i}`}>{t("budgets.thresholds")}</label>
                <input id={`budget-thresholds-${i}`} dir="ltr" value={d.thresholds} onChange={(e) => change(i, { thresholds: e.target.value })} />
              </div>
              <Button variant="ghost" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                {t("budgets.remove", { n: i + 1 })}
              </Button>
            </fieldset>
          ))}
          {problem && (
            <p id="budgets-problem" className="automation-problem" role="alert">
              {problem}
            </p>
          )}
          <div className="admin-form-actions">
            <Button
              id="budgets-add"
              variant="secondary"
              onClick={() => setDrafts([...drafts, { scope: "account", target: "", amount: "", currency, thresholds: "80, 100" }])}
            >
              {t("budgets.add")}
            </Button>
            <Button id="budgets-save" variant="primary" type="submit" disabled={saving}>
              {t("budgets.save")}
            </Button>
            <Button id="budgets-cancel" variant="ghost" onClick={() => setDrafts(null)} disabled={saving}>
              {t("budgets.cancel")}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
