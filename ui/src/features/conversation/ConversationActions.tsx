import { useEffect, useState, type FormEvent } from "react";
import type { Conversation } from "../../bindings/Conversation";
import type { TransferTargets } from "../../bindings/TransferTargets";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { tomorrowAtNine } from "./windowModel";

type Props = { conversation: Conversation; onError: (message: string | null) => void };

/** A `datetime-local` value (local time, minutes) for `ms`. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** Resolve or reopen, snooze and transfer; each answer replaces the conversation in the inbox. */
export function ConversationActions({ conversation, onError }: Props) {
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<"none" | "snooze" | "transfer">("none");
  const id = conversation.id;

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    onError(null);
    try {
      await action();
      setPanel("none");
    } catch (err) {
      onError(toIpcError(err).message);
    } finally {
      setBusy(false);
    }
  }

  const resolved = conversation.status === "resolved";
  return (
    <div className="conversation-actions">
      {resolved ? (
        <Button id="reopen" disabled={busy} onClick={() => void run(() => call("reopen_conversation", { conversation_id: id }))}>
          {t("actions.reopen")}
        </Button>
      ) : (
        <Button id="resolve" variant="primary" disabled={busy} onClick={() => void run(() => call("resolve_conversation", { conversation_id: id }))}>
          {t("actions.resolve")}
        </Button>
      )}
      {!resolved && (
        <Button id="snooze" disabled={busy} aria-expanded={panel === "snooze"} onClick={() => setPanel(panel === "snooze" ? "none" : "snooze")}>
          {t("actions.snooze")}
        </Button>
      )}
      {!resolved && (
        <Button id="transfer" disabled={busy} aria-expanded={panel === "transfer"} onClick={() => setPanel(panel === "transfer" ? "none" : "transfer")}>
          {t("actions.transfer")}
        </Button>
      )}
      {panel === "snooze" && (
        <SnoozePanel busy={busy} onSnooze={(until) => void run(() => call("snooze_conversation", { conversation_id: id, until }))} />
      )}
      {panel === "transfer" && (
        <TransferPanel
          busy={busy}
          onTransfer={(to, note) =>
            void run(() =>
              call("transfer_conversation", {
                conversation_id: id,
                to_user_id: to.kind === "agent" ? to.id : null,
                to_team_id: to.kind === "team" ? to.id : null,
                note: note.trim() || null,
              }),
            )
          }
        />
      )}
    </div>
  );
}

function SnoozePanel({ busy, onSnooze }: { busy: boolean; onSnooze: (until: number) => void }) {
  const [custom, setCustom] = useState(() => localInput(Date.now() + 3 * 3600_000));
  return (
    <div id="snooze-panel" className="action-panel" role="group" aria-label={t("actions.snooze")}>
      <Button id="snooze-hour" disabled={busy} onClick={() => onSnooze(Date.now() + 3600_000)}>
        {t("snooze.hour")}
      </Button>
      <Button id="snooze-tomorrow" disabled={busy} onClick={() => onSnooze(tomorrowAtNine(Date.now()))}>
        {t("snooze.tomorrow")}
      </Button>
      <label className="snooze-custom">
        {t("snooze.custom")}
        <input id="snooze-until" type="datetime-local" value={custom} onChange={(e) => setCustom(e.target.value)} />
      </label>
      <Button id="snooze-custom" disabled={busy || !custom} onClick={() => onSnooze(new Date(custom).getTime())}>
        {t("snooze.confirm")}
      </Button>
    </div>
  );
}

type Target = { kind: "agent" | "team"; id: number };

function TransferPanel({ busy, onTransfer }: { busy: boolean; onTransfer: (to: Target, note: string) => void }) {
  const [targets, setTargets] = useState<TransferTargets | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState("");
  const [note, setNote] = useState("");
  useEffect(() => {
    let current = true;
    call("transfer_targets", null).then(
      (list) => current && setTargets(list),
      (err: unknown) => current && setLoadError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, []);
  function submit(e: FormEvent) {
    e.preventDefault();
    const [kind, id] = choice.split(":");
    if ((kind === "agent" || kind === "team") && id) onTransfer({ kind, id: Number(id) }, note);
  }
  return (
    <form id="transfer-panel" className="action-panel" onSubmit={submit}>
      <label>
        {t("transfer.to")}
        <select id="transfer-target" value={choice} onChange={(e) => setChoice(e.target.value)} disabled={!targets}>
          <option value="">{targets ? t("transfer.choose") : t("transfer.loading")}</option>
          {targets && targets.agents.length > 0 && (
            <optgroup label={t("transfer.agents")}>
              {targets.agents.map((a) => (
                <option key={a.id} value={`agent:${a.id}`}>
                  {a.available ? a.display_name : t("transfer.unavailable", { name: a.display_name })}
                </option>
              ))}
            </optgroup>
          )}
          {targets && targets.teams.length > 0 && (
            <optgroup label={t("transfer.teams")}>
              {targets.teams.map((team) => (
                <option key={team.id} value={`team:${team.id}`}>
                  {team.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label>
        {t("transfer.note")}
        <textarea id="transfer-note" dir="auto" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {loadError && (
        <p className="composer-notice notice-error" role="alert">
          {loadError}
        </p>
      )}
      <Button id="transfer-confirm" type="submit" variant="primary" disabled={busy || !choice}>
        {t("transfer.confirm")}
      </Button>
    </form>
  );
}
