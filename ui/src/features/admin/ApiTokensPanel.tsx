import { useEffect, useState } from "react";
import type { ApiToken } from "../../bindings/ApiToken";
import type { UserProfile } from "../../bindings/UserProfile";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { useNow } from "../supervisor/useNow";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { OnceSecret, PanelNotices, type Notice } from "./PanelNotices";
import { EMPTY_TOKEN_DRAFT, grantable, isExpired, togglePermission, tokenRequest, type TokenDraft } from "./apiTokensModel";

/** A secret just made: shown once, for the token it belongs to. */
type ShownSecret = { name: string; secret: string } | null;

/**
 * Admins with `manage_users`: API tokens for other systems (create with permissions chosen
 * from the admin's own, an optional expiry and rate; the secret shown only once), the list
 * with when each was last used, and revoking after confirming.
 */
export function ApiTokensPanel({ user }: { user: UserProfile | null }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<TokenDraft | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [secret, setSecret] = useState<ShownSecret>(null);
  const [confirmingRevoke, setConfirmingRevoke] = useState<number | null>(null);
  // Expiry badges and the form's check compare against it; re-read every minute.
  const now = useNow(60_000);

  function load() {
    call("api_tokens", null).then(
      (list) => {
        setTokens(list);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(toIpcError(err).message),
    );
  }

  useEffect(load, []);

  const request = draft ? tokenRequest(draft, now) : null;
  const choices = grantable(user);

  function create() {
    if (!draft || request === null || typeof request === "string") return;
    setSaving(true);
    setNotice(null);
    call("create_api_token", request).then(
      (created) => {
        setSaving(false);
        setDraft(null);
        setSecret({ name: created.token.name, secret: created.secret });
        load();
      },
      (err: unknown) => {
        setSaving(false);
        setNotice({ kind: "failed", text: toIpcError(err).message });
      },
    );
  }

  function revoke(id: number) {
    setBusy(true);
    setNotice(null);
    call("revoke_api_token", { id }).then(
      () => {
        setBusy(false);
        setConfirmingRevoke(null);
        setNotice({ kind: "done", text: t("admin.tokens.revoked") });
        load();
      },
      (err: unknown) => {
        setBusy(false);
        setNotice({ kind: "failed", text: toIpcError(err).message });
      },
    );
  }

  const problemText = (problem: string) => {
    switch (problem) {
      case "name":
        return t("admin.tokens.problem.name");
      case "permissions":
        return t("admin.tokens.problem.permissions");
      case "expires":
        return t("admin.tokens.problem.expires");
      default:
        return t("admin.tokens.problem.rate");
    }
  };
  // Nothing typed yet is not a mistake worth an alert.
  const showProblem = draft !== null && typeof request === "string" && (request !== "name" || draft.permissions.length > 0);

  return (
    <section id="api-tokens" className="board-section admin-panel" aria-labelledby="admin-tokens-title">
      <h2 id="admin-tokens-title" className="board-title">
        {t("admin.tokens.title")}
      </h2>
      <p className="admin-note">{t("admin.tokens.note")}</p>
      {secret && (
        <OnceSecret
          id="api-token-secret"
          message={t("admin.tokens.secretOnce", { name: secret.name })}
          secret={secret.secret}
          doneLabel={t("admin.tokens.secretDone")}
          onDone={() => setSecret(null)}
        />
      )}
      <PanelNotices
        idPrefix="api-token"
        notice={notice}
        loadError={loadError && t("admin.tokens.failed", { message: loadError })}
      />
      {draft ? (
        <form
          id="api-token-form"
          className="admin-form"
          aria-labelledby="api-token-form-title"
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
        >
          <h3 id="api-token-form-title" className="admin-subtitle">
            {t("admin.tokens.new")}
          </h3>
          <div className="admin-fields">
            <label>
              {t("admin.tokens.name")}
              <input
                id="api-token-name"
                dir="auto"
                autoComplete="off"
                maxLength={100}
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            </label>
            <label>
              {t("admin.tokens.expires")}
              <input
                id="api-token-expires"
                type="date"
                aria-describedby="api-token-expires-hint"
                value={draft.expires}
                onChange={(e) => setDraft({ ...draft, expires: e.target.value })}
              />
            </label>
            <label>
              {t("admin.tokens.rate")}
              <input
                id="api-token-rate"
                inputMode="numeric"
                dir="ltr"
                aria-describedby="api-token-rate-hint"
                value={draft.rate}
                onChange={(e) => setDraft({ ...draft, rate: e.target.value })}
              />
            </label>
          </div>
          <p id="api-token-expires-hint" className="admin-note">
            {t("admin.tokens.expiresHint")}
          </p>
          <p id="api-token-rate-hint" className="admin-note">
            {t("admin.tokens.rateHint")}
          </p>
          <fieldset className="admin-permissions-choice">
            <legend>{t("admin.tokens.permissions")}</legend>
            <p className="admin-note">{t("admin.tokens.permissionsHint")}</p>
            {choices.map((p) => (
              <div key={p} className="admin-permission">
                <input
                  id={`api-token-permission-${p}`}
                  type="checkbox"
                  checked={draft.permissions.includes(p)}
                  aria-describedby={`api-token-permission-${p}-hint`}
                  onChange={() => setDraft(togglePermission(draft, p))}
                />
                <label htmlFor={`api-token-permission-${p}`}>{t(`admin.permission.${p}`)}</label>
                <span id={`api-token-permission-${p}-hint`} className="admin-permission-hint">
                  {t(`admin.permission.${p}.hint`)}
                </span>
              </div>
            ))}
          </fieldset>
          {showProblem && (
            <p className="load-error admin-row-error" role="alert">
              {problemText(request)}
            </p>
          )}
          <div className="admin-form-actions">
            <Button id="api-token-create" type="submit" variant="primary" disabled={typeof request === "string" || saving}>
              {saving ? t("admin.tokens.creating") : t("admin.tokens.create")}
            </Button>
            <Button variant="ghost" disabled={saving} onClick={() => setDraft(null)}>
              {t("admin.tokens.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <Button id="api-token-new" variant="primary" onClick={() => setDraft({ ...EMPTY_TOKEN_DRAFT })}>
          {t("admin.tokens.new")}
        </Button>
      )}
      {tokens && tokens.length === 0 && <p className="board-empty">{t("admin.tokens.none")}</p>}
      {tokens && tokens.length > 0 && (
        <table id="api-token-list" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.tokens.name")}</th>
              <th scope="col">{t("admin.tokens.permissions")}</th>
              <th scope="col">{t("admin.tokens.createdBy")}</th>
              <th scope="col">{t("admin.tokens.lastUsed")}</th>
              <th scope="col">{t("admin.tokens.expires")}</th>
              <th scope="col">{t("admin.tokens.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => {
              const expired = isExpired(token, now);
              return (
                <tr key={token.id} className="api-token" data-token-id={token.id} data-expired={expired || undefined}>
                  <td>
                    <span dir="auto">{token.name}</span>
                    <div className="admin-note">
                      {t("admin.tokens.prefix")} <code dir="ltr">{token.prefix}…</code>
                    </div>
                    {token.rate_per_second !== null && (
                      <div className="admin-note">{t("admin.tokens.ratePerSecond", { rate: token.rate_per_second })}</div>
                    )}
                  </td>
                  <td>{token.permissions.map((p) => t(`admin.permission.${p}`)).join(", ")}</td>
                  <td dir="auto">
                    {token.created_by}
                    <div className="admin-note">
                      <Timestamp ms={token.created_at} />
                    </div>
                  </td>
                  <td>{token.last_used_at === null ? t("admin.tokens.neverUsed") : <Timestamp ms={token.last_used_at} />}</td>
                  <td>
                    {token.expires_at === null ? t("admin.tokens.noExpiry") : <Timestamp ms={token.expires_at} />}
                    {expired && <span className="admin-badge admin-badge-expired">{t("admin.tokens.expired")}</span>}
                  </td>
                  <td>
                    {confirmingRevoke === token.id ? (
                      <div role="alertdialog" aria-labelledby={`api-token-confirm-${token.id}`} className="admin-hold-confirm">
                        <p id={`api-token-confirm-${token.id}`}>{t("admin.tokens.confirmRevoke", { name: token.name })}</p>
                        <div className="admin-account-actions">
                          <Button variant="primary" disabled={busy} onClick={() => revoke(token.id)}>
                            {t("admin.tokens.revokeConfirmed")}
                          </Button>
                          <Button variant="ghost" disabled={busy} onClick={() => setConfirmingRevoke(null)}>
                            {t("admin.tokens.cancel")}
                          </Button>
                        </div>
                      </div>
                    ) : (
                      <Button variant="ghost" disabled={busy} onClick={() => setConfirmingRevoke(token.id)}>
                        {t("admin.tokens.revoke")}
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
