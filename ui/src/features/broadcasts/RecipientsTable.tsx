import { useEffect, useState } from "react";
import type { RecipientPage } from "../../bindings/RecipientPage";
import type { RecipientState } from "../../bindings/RecipientState";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t, useLocale, type StringKey } from "../../i18n";
import { call, toIpcError } from "../../ipc";

export const RECIPIENT_STATES: Record<RecipientState, StringKey> = {
  queued: "broadcasts.recipient.queued",
  excluded: "broadcasts.recipient.excluded",
  sending: "broadcasts.recipient.sending",
  sent: "broadcasts.recipient.sent",
  delivered: "broadcasts.recipient.delivered",
  read: "broadcasts.recipient.read",
  replied: "broadcasts.recipient.replied",
  failed: "broadcasts.recipient.failed",
  cancelled: "broadcasts.recipient.cancelled",
};

export const RECIPIENT_PAGE = 50;

type Props = {
  broadcastId: number;
  /** Changes when the results are read again; the first page follows along. */
  refresh: number;
};

/**
 * Every recipient of a broadcast with where their message is, a page at a time, filtered by
 * state. Numbers come masked from the server for roles that may not see them.
 */
export function RecipientsTable({ broadcastId, refresh }: Props) {
  useLocale();
  const [state, setState] = useState<RecipientState | "">("");
  // The cursors of the pages before the one shown, to go back; the last is this page's.
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [page, setPage] = useState<RecipientPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  // Only the first page moves while sending; later pages stay where the admin left them.
  const follow = cursors.length === 1 ? refresh : 0;

  useEffect(() => {
    let current = true;
    call("broadcast_recipients", { id: broadcastId, state: state || null, cursor, limit: RECIPIENT_PAGE }).then(
      (answer) => {
        if (!current) return;
        setPage(answer);
        setError(null);
      },
      (err: unknown) => current && setError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, [broadcastId, state, cursor, follow]);

  return (
    <div className="broadcast-recipients">
      <div className="broadcast-heading">
        <h4 className="broadcast-minor-title">{t("broadcasts.recipients")}</h4>
        <label className="automation-field-label">
          {t("broadcasts.recipients.state")}
          <select
            id="broadcast-recipient-state"
            value={state}
            onChange={(e) => {
              setState(e.target.value as RecipientState | "");
              setCursors([null]);
            }}
          >
            <option value="">{t("broadcasts.recipients.all")}</option>
            {(Object.keys(RECIPIENT_STATES) as RecipientState[]).map((s) => (
              <option key={s} value={s}>
                {t(RECIPIENT_STATES[s])}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {page && (
        <table id="broadcast-recipients" className="board-table">
          <caption className="visually-hidden">{t("broadcasts.recipients")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("broadcasts.recipients.contact")}</th>
              <th scope="col">{t("broadcasts.recipients.number")}</th>
              <th scope="col">{t("broadcasts.recipients.from")}</th>
              <th scope="col">{t("broadcasts.recipients.stateColumn")}</th>
              <th scope="col">{t("broadcasts.recipients.reason")}</th>
              <th scope="col">{t("broadcasts.recipients.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {page.recipients.length === 0 ? (
              <tr>
                <td colSpan={6}>{t("broadcasts.recipients.none")}</td>
              </tr>
            ) : (
              page.recipients.map((r) => (
                <tr key={r.contact_id} className="broadcast-recipient" data-state={r.state} data-contact-id={r.contact_id}>
                  <th scope="row" dir="auto">
                    {r.name ?? `#${r.contact_id}`}
                  </th>
                  <td dir="ltr">{r.wa_id ? `+${r.wa_id}` : "–"}</td>
                  <td>{r.phone_number_id ?? "–"}</td>
                  <td>{t(RECIPIENT_STATES[r.state] ?? "broadcasts.recipient.queued")}</td>
                  <td dir="auto">{r.reason ?? ""}</td>
                  <td>
                    <Timestamp ms={r.updated_at} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      )}
      <div className="admin-form-actions">
        <Button id="broadcast-recipients-previous" variant="ghost" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t("broadcasts.recipients.previous")}
        </Button>
        <Button
          id="broadcast-recipients-next"
          variant="ghost"
          disabled={!page || page.next_cursor === null}
          onClick={() => page?.next_cursor != null && setCursors((c) => [...c, page.next_cursor])}
        >
          {t("broadcasts.recipients.next")}
        </Button>
      </div>
    </div>
  );
}
