import { useEffect, useRef, useState } from "react";
import type { AuditEntry } from "../../bindings/AuditEntry";
import type { AuditVerification } from "../../bindings/AuditVerification";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t, type StringKey } from "../../i18n";
import { call, toIpcError } from "../../ipc";

const PAGE = 50;
/** Wait this long after the last keystroke before searching. */
export const AUDIT_SEARCH_DELAY_MS = 250;

const FAMILIES: { value: string; label: StringKey }[] = [
  { value: "", label: "admin.audit.family.all" },
  { value: "session", label: "admin.audit.family.session" },
  { value: "user", label: "admin.audit.family.user" },
  { value: "filter", label: "admin.audit.family.filter" },
  { value: "conversation", label: "admin.audit.family.conversation" },
  { value: "export", label: "admin.audit.family.export" },
];

const ACTIONS: Record<string, StringKey> = {
  "session.signed_in": "admin.audit.action.signedIn",
  "session.sign_in_failed": "admin.audit.action.signInFailed",
  "session.signed_out_everywhere": "admin.audit.action.signedOutEverywhere",
  "user.created": "admin.audit.action.userCreated",
  "user.unlocked": "admin.audit.action.userUnlocked",
  "user.capacity_changed": "admin.audit.action.capacityChanged",
  "user.skills_changed": "admin.audit.action.skillsChanged",
  "filter.saved": "admin.audit.action.filterSaved",
  "filter.blocked": "admin.audit.action.filterBlocked",
  "conversation.read": "admin.audit.action.conversationRead",
  "export.created": "admin.audit.action.exportCreated",
};

/** What an action is called in the user's language; actions this app does not know yet keep their name. */
export function actionLabel(action: string): string {
  const key = ACTIONS[action];
  return key ? t(key) : action;
}

/** A value as plain text: strings as they are, anything else as JSON. */
function plain(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function details(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object" || Array.isArray(value)) return plain(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${plain(v)}`)
    .join(", ");
}

/**
 * Admins: who did what (sign-ins, changes, filter blocks, reads of others' conversations),
 * searchable, newest first, and a check that nobody changed the log behind the server's back.
 */
export function AuditPanel() {
  const [text, setText] = useState("");
  const [family, setFamily] = useState("");
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const latest = useRef(0);

  function load(before: number | null) {
    const ticket = ++latest.current;
    const query = { text: text.trim() || null, action: family || null, actor: null, from: null, until: null, before, limit: PAGE };
    call("audit_log", query).then(
      (page) => {
        if (ticket !== latest.current) return;
        setEntries((old) => (before === null ? page : [...(old ?? []), ...page]));
        setMore(page.length === PAGE);
        setError(null);
      },
      (err: unknown) => ticket === latest.current && setError(toIpcError(err).message),
    );
  }

  useEffect(() => {
    const timer = setTimeout(() => load(null), AUDIT_SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // `load` reads the current filters; re-run only when they change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, family]);

  function verify() {
    setVerifying(true);
    call("verify_audit_log", null).then(
      (report) => {
        setVerification(report);
        setVerifying(false);
      },
      (err: unknown) => {
        setError(toIpcError(err).message);
        setVerifying(false);
      },
    );
  }

  return (
    <section className="board-section admin-panel" aria-labelledby="admin-audit-title">
      <h2 id="admin-audit-title" className="board-title">
        {t("admin.audit.title")}
      </h2>
      <div className="admin-audit-tools">
        <label>
          <span className="visually-hidden">{t("admin.audit.search")}</span>
          <input
            id="audit-search"
            type="search"
            dir="auto"
            value={text}
            placeholder={t("admin.audit.search")}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          {t("admin.audit.family")}{" "}
          <select id="audit-family" value={family} onChange={(e) => setFamily(e.target.value)}>
            {FAMILIES.map((f) => (
              <option key={f.value} value={f.value}>
                {t(f.label)}
              </option>
            ))}
          </select>
        </label>
        <Button id="audit-verify" onClick={verify} disabled={verifying}>
          {verifying ? t("admin.audit.verifying") : t("admin.audit.verify")}
        </Button>
      </div>
      {verification &&
        (verification.first_broken_id === null ? (
          <p id="audit-verified" className="admin-note" role="status">
            {t("admin.audit.intact", { count: verification.entries, hash: verification.head_hash ?? "—" })}
          </p>
        ) : (
          <p id="audit-broken" className="load-error" role="alert">
            {t("admin.audit.broken", { problem: verification.problem ?? "" })}
          </p>
        ))}
      {error && (
        <p className="load-error" role="alert">
          {t("admin.audit.failed", { message: error })}
        </p>
      )}
      {entries && entries.length === 0 && <p className="board-empty">{t("admin.audit.none")}</p>}
      {entries && entries.length > 0 && (
        <table id="audit-entries" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.audit.when")}</th>
              <th scope="col">{t("admin.audit.who")}</th>
              <th scope="col">{t("admin.audit.what")}</th>
              <th scope="col">{t("admin.audit.target")}</th>
              <th scope="col">{t("admin.audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="audit-entry" data-action={e.action}>
                <td>
                  <Timestamp ms={e.at} />
                </td>
                <td dir="auto">{e.actor_name}</td>
                <td>{actionLabel(e.action)}</td>
                <td>
                  <bdi>{e.target}</bdi>
                </td>
                <td className="audit-details" dir="auto">
                  {details(e.details)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && entries && (
        <Button variant="ghost" onClick={() => load(entries[entries.length - 1]!.id)}>
          {t("admin.audit.more")}
        </Button>
      )}
    </section>
  );
}
