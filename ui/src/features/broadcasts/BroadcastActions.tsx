import { useState } from "react";
import type { Broadcast } from "../../bindings/Broadcast";
import type { IpcError } from "../../bindings/IpcError";
import { Button } from "../../components/Button";
import { t, type StringKey } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { actionsFor, formatCount, formatInstant, type BroadcastAction } from "./broadcastModel";

type Props = {
  broadcast: Broadcast;
  /** For a draft: when it should start (null: now). */
  startAt: number | null;
  /** For a draft: recipients and estimated cost from the preview, for the confirmation; null until previewed. */
  estimate: { recipients: number; cost: string } | null;
  /** Something stops the draft from going (unsaved edits, a blocked template). */
  holdBack: string | null;
  /** For a draft whose estimate is more than a budget has left: why; going ahead needs a confirmation. */
  overBudget?: string | null;
  onChanged: (broadcast: Broadcast) => void;
};

const LABELS: Record<BroadcastAction, StringKey> = {
  schedule: "broadcasts.action.schedule",
  start: "broadcasts.action.start",
  pause: "broadcasts.action.pause",
  resume: "broadcasts.action.resume",
  cancel: "broadcasts.action.cancel",
};

/**
 * The buttons a broadcast's state allows, each asking first: a draft is scheduled or started
 * (the question names how many recipients and the estimated cost), a running one paused,
 * resumed or cancelled. The server's refusal is shown as it comes.
 */
export function BroadcastActions({ broadcast, startAt, estimate, holdBack, overBudget = null, onChanged }: Props) {
  const [asking, setAsking] = useState<BroadcastAction | null>(null);
  const [overBudgetConfirmed, setOverBudgetConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  let actions = actionsFor(broadcast.state);
  // A draft goes the way its form says: at the time given, or now.
  if (broadcast.state === "draft") actions = actions.filter((a) => (startAt === null ? a === "start" : a === "schedule"));
  if (actions.length === 0) return null;
  const needsPreview = broadcast.state === "draft";
  // Going over a budget is asked for explicitly, for a draft being scheduled or started.
  const asksOverBudget = needsPreview && overBudget !== null && (asking === "start" || asking === "schedule");

  function question(action: BroadcastAction): string {
    const name = broadcast.name;
    const recipients = estimate ? formatCount(estimate.recipients) : "?";
    const count = estimate?.recipients ?? 0;
    switch (action) {
      case "schedule":
        return t("broadcasts.confirm.schedule", { name, at: formatInstant(startAt ?? 0), count, recipients, cost: estimate?.cost ?? "" });
      case "start":
        return broadcast.state === "scheduled"
          ? t("broadcasts.confirm.startScheduled", { name })
          : t("broadcasts.confirm.start", { name, count, recipients, cost: estimate?.cost ?? "" });
      case "pause":
        return t("broadcasts.confirm.pause", { name });
      case "resume":
        return t("broadcasts.confirm.resume", { name });
      case "cancel":
        return t("broadcasts.confirm.cancel", { name });
    }
  }

  async function run(action: BroadcastAction) {
    setBusy(true);
    setError(null);
    try {
      const id = broadcast.id;
      const over_budget = asksOverBudget && overBudgetConfirmed ? true : undefined;
      const answer =
        action === "schedule"
          ? await call("schedule_broadcast", { id, at: startAt ?? Date.now(), over_budget })
          : action === "start"
            ? await call("start_broadcast", { id, over_budget })
            : await call(`${action}_broadcast` as "pause_broadcast", { id });
      setAsking(null);
      onChanged(answer);
    } catch (err) {
      setAsking(null);
      setError(toIpcError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="broadcast-actions">
      <div className="admin-form-actions">
        {actions.map((action) => (
          <Button
            key={action}
            id={`broadcast-${action}`}
            variant={action === "cancel" ? "ghost" : "primary"}
            disabled={busy || (needsPreview && (estimate === null || holdBack !== null))}
            onClick={() => {
              setOverBudgetConfirmed(false);
              setAsking(action);
            }}
          >
            {action === "schedule" ? t("broadcasts.action.scheduleAt", { at: formatInstant(startAt ?? 0) }) : t(LABELS[action])}
          </Button>
        ))}
      </div>
      {needsPreview && holdBack && <p className="admin-note broadcast-hold">{holdBack}</p>}
      {asking && (
        <div id="broadcast-confirm" className="automation-discard" role="alertdialog" aria-labelledby="broadcast-confirm-text" data-action={asking}>
          <p id="broadcast-confirm-text" dir="auto">
            {question(asking)}
          </p>
          {asksOverBudget && (
            <div className="broadcast-over-budget">
              <p className="broadcast-budget-over" dir="auto">
                {overBudget}
              </p>
              <label>
                <input
                  id="broadcast-over-budget"
                  type="checkbox"
                  checked={overBudgetConfirmed}
                  onChange={(e) => setOverBudgetConfirmed(e.target.checked)}
                />{" "}
                {t("broadcasts.confirm.overBudget")}
              </label>
            </div>
          )}
          <div className="admin-form-actions">
            <Button
              id="broadcast-confirm-yes"
              variant="primary"
              onClick={() => void run(asking)}
              disabled={busy || (asksOverBudget && !overBudgetConfirmed)}
              autoFocus
            >
              {t(LABELS[asking])}
            </Button>
            <Button id="broadcast-confirm-no" variant="ghost" onClick={() => setAsking(null)} disabled={busy}>
              {t("broadcasts.confirm.back")}
            </Button>
          </div>
        </div>
      )}
      {error && (
        <p id="broadcast-action-error" className="load-error" role="alert" data-code={error.code} dir="auto">
          {error.message}
        </p>
      )}
    </div>
  );
}
