import { useEffect, useState } from "react";
import type { LegalHold } from "../../bindings/LegalHold";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { userTextDir } from "../../components/bidi";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { customerNumber, holdRequest, type HoldKind } from "./legalHoldsModel";

type Notice = { kind: "done"; text: string } | { kind: "failed"; text: string } | null;

/** What a hold keeps: a customer (every conversation of theirs) or one conversation. */
function HoldTarget({ hold }: { hold: LegalHold }) {
  const number = customerNumber(hold);
  const customer = number && (
    <>
      {" "}
      <bdi dir={userTextDir(number)}>{number}</bdi>
      {hold.contact_name && (
        <>
          {" "}
          (<bdi dir="auto">{hold.contact_name}</bdi>)
        </>
      )}
    </>
  );
  if (hold.conversation_id !== null) {
    return (
      <>
        {t("admin.holds.conversationTarget", { id: hold.conversation_id })}
        {customer}
      </>
    );
  }
  return (
    <>
      {t("admin.holds.contactTarget")}
      {customer ?? <> {hold.contact_id}</>}
    </>
  );
}

/**
 * Admins: the legal holds that keep conversations past their number's retention, placing one
 * on a customer (by WhatsApp number) or a conversation, and releasing one after confirming.
 */
export function LegalHoldsPanel() {
  const [holds, setHolds] = useState<LegalHold[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [showReleased, setShowReleased] = useState(false);
  const [kind, setKind] = useState<HoldKind>("contact");
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  const [placing, setPlacing] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [releasing, setReleasing] = useState(false);

  function load() {
    call("legal_holds", null).then(
      (list) => {
        setHolds(list);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(toIpcError(err).message),
    );
  }

  useEffect(load, []);

  const request = holdRequest(kind, target, reason);

  function place() {
    if (typeof request === "string") return;
    setPlacing(true);
    setNotice(null);
    call("place_legal_hold", request).then(
      () => {
        setPlacing(false);
        setTarget("");
        setReason("");
        setNotice({ kind: "done", text: t("admin.holds.placed") });
        load();
      },
      (err: unknown) => {
        setPlacing(false);
        setNotice({ kind: "failed", text: toIpcError(err).message });
      },
    );
  }

  function release(holdId: number) {
    setReleasing(true);
    setNotice(null);
    call("release_legal_hold", { hold_id: holdId }).then(
      () => {
        setReleasing(false);
        setConfirming(null);
        setNotice({ kind: "done", text: t("admin.holds.released") });
        load();
      },
      (err: unknown) => {
        setReleasing(false);
        setConfirming(null);
        setNotice({ kind: "failed", text: toIpcError(err).message });
      },
    );
  }

  const shown = holds?.filter((h) => showReleased || h.released_at === null) ?? null;

  return (
    <section id="legal-holds" className="board-section admin-panel" aria-labelledby="admin-holds-title">
      <h2 id="admin-holds-title" className="board-title">
        {t("admin.holds.title")}
      </h2>
      <p className="admin-note">{t("admin.holds.note")}</p>
      <form
        id="legal-hold-form"
        className="admin-form"
        aria-labelledby="admin-holds-place"
        onSubmit={(e) => {
          e.preventDefault();
          place();
        }}
      >
        <h3 id="admin-holds-place" className="admin-subtitle">
          {t("admin.holds.place")}
        </h3>
        <div className="admin-fields">
          <label>
            {t("admin.holds.kind")}
            <select id="hold-kind" value={kind} onChange={(e) => setKind(e.target.value as HoldKind)}>
              <option value="contact">{t("admin.holds.kind.contact")}</option>
              <option value="conversation">{t("admin.holds.kind.conversation")}</option>
            </select>
          </label>
          {kind === "contact" ? (
            <label>
              {t("admin.holds.number")}
              <input
                id="hold-number"
                type="tel"
                dir="ltr"
                inputMode="tel"
                autoComplete="off"
                placeholder="+966501234567"
                value={target}
                onChange={(e) => setTarget(e.target.value)}
              />
            </label>
          ) : (
            <label>
              {t("admin.holds.conversation")}
              <input
                id="hold-conversation"
                dir="ltr"
                inputMode="numeric"
                autoComplete="off"
                value={target}
                onChange={(e) => setTarget(e.target.value)}
              />
            </label>
          )}
          <label>
            {t("admin.holds.reason")}
            <input
              id="hold-reason"
              dir="auto"
              placeholder={t("admin.holds.reasonPlaceholder")}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        </div>
        {request === "invalid" && (
          <p className="load-error admin-row-error" role="alert">
            {t("admin.holds.invalidConversation")}
          </p>
        )}
        <Button id="hold-place" type="submit" variant="primary" disabled={typeof request === "string" || placing}>
          {placing ? t("admin.holds.placing") : t("admin.holds.placeButton")}
        </Button>
      </form>
      {notice?.kind === "done" && (
        <p id="hold-notice" className="admin-note" role="status">
          {notice.text}
        </p>
      )}
      {notice?.kind === "failed" && (
        <p id="hold-error" className="load-error" role="alert">
          {notice.text}
        </p>
      )}
      {loadError && (
        <p className="load-error" role="alert">
          {t("admin.holds.failed", { message: loadError })}
        </p>
      )}
      <label className="admin-holds-released">
        <input type="checkbox" checked={showReleased} onChange={(e) => setShowReleased(e.target.checked)} />{" "}
        {t("admin.holds.showReleased")}
      </label>
      {shown && shown.length === 0 && <p className="board-empty">{t("admin.holds.none")}</p>}
      {shown && shown.length > 0 && (
        <table id="legal-hold-list" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.holds.what")}</th>
              <th scope="col">{t("admin.holds.reason")}</th>
              <th scope="col">{t("admin.holds.placedBy")}</th>
              <th scope="col">{t("admin.holds.placedAt")}</th>
              <th scope="col">{t("admin.holds.status")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((hold) => (
              <tr key={hold.id} className="legal-hold" data-hold-id={hold.id} data-released={hold.released_at !== null}>
                <td>
                  <HoldTarget hold={hold} />
                </td>
                <td className="audit-details" dir="auto">
                  {hold.reason}
                </td>
                <td dir="auto">{hold.placed_by ?? "—"}</td>
                <td>
                  <Timestamp ms={hold.placed_at} />
                </td>
                <td>
                  {hold.released_at !== null ? (
                    <span className="admin-note">
                      {t("admin.holds.releasedBy", { name: hold.released_by ?? "—" })} <Timestamp ms={hold.released_at} />
                    </span>
                  ) : confirming === hold.id ? (
                    <div role="alertdialog" aria-labelledby={`hold-confirm-${hold.id}`} className="admin-hold-confirm">
                      <p id={`hold-confirm-${hold.id}`}>{t("admin.holds.confirmRelease")}</p>
                      <div className="admin-account-actions">
                        <Button variant="primary" disabled={releasing} onClick={() => release(hold.id)}>
                          {t("admin.holds.releaseConfirmed")}
                        </Button>
                        <Button variant="ghost" disabled={releasing} onClick={() => setConfirming(null)}>
                          {t("admin.holds.cancel")}
                        </Button>
                      </div>
                    </div>
                  ) : (
                    <div className="admin-account-actions">
                      <span>{t("admin.holds.active")}</span>
                      <Button onClick={() => setConfirming(hold.id)}>{t("admin.holds.release")}</Button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
