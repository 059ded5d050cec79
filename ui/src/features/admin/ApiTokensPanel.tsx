import { useEffect, useState } from "react";
import type { ApiToken } from "../../bindings/ApiToken";
import type { IpcError } from "../../bindings/IpcError";
import type { UserProfile } from "../../bindings/UserProfile";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { useNow } from "../supervisor/useNow";
import { intlLocale, t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { OnceSecret, PanelNotices, type Notice } from "./PanelNotices";
import { NumbersChoice, TeamsChoice } from "./ScopeChoice";
import {
  EMPTY_TOKEN_DRAFT,
  grantable,
  isExpired,
  scopeNames,
  togglePermission,
  tokenRequest,
  type TokenDraft,
  type TokenScope,
} from "./apiTokensModel";
import { useLoad } from "./useAdminData";

/** A secret just made: shown once, for the token it belongs to. */
type ShownSecret = { name: string; secret: string } | null;

/**
 * Admins with `manage_users`: API tokens for other systems (create with permissions chosen
 * from the admin's own, a scope of numbers and teams, an optional expiry and rate; the secret
 * shown only once), the list with each token's scope and when it was last used, and revoking
 * after confirming.
 */
export function ApiTokensPanel({ user }: { user: UserProfile | null }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<TokenDraft | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  // The server's refusal of the form, shown beside it rather than above the panel.
  const [refusal, setRefusal] = useState<IpcError | null>(null);
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
  // What the scope is chosen from and named with, as the roles screen loads them. The numbers
  // need `manage_numbers`: without it the form offers teams only and the list shows number ids.
  const numbers = useLoad("business_numbers").data ?? [];
  const teams = useLoad("list_teams").data ?? [];

  const request = draft ? tokenRequest(draft, now) : null;
  const choices = grantable(user);

  function create() {
    if (!draft || request === null || typeof request === "string") return;
    setSaving(true);
    setNotice(null);
    setRefusal(null);
    call("create_api_token", request).then(
      (created) => {
        setSaving(false);
        setDraft(null);
        setSecret({ name: created.token.name, secret: created.secret });
        load();
      },
      (err: unknown) => {
        setSaving(false);
        setRefusal(toIpcError(err));
      },
    );
  }

  function openForm(next: TokenDraft | null) {
    setRefusal(null);
    setDraft(next);
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
      case "scope":
        return t("admin.tokens.problem.scope");
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
          <fieldset id="api-token-scope" className="admin-scope-choice" aria-describedby="api-token-scope-hint">
            <legend>{t("admin.tokens.scope")}</legend>
            <p id="api-token-scope-hint" className="admin-note">
              {t("admin.tokens.scopeHint")}
            </p>
            {(["all", "chosen"] as TokenScope[]).map((scope) => (
              <div key={scope} className="admin-permission">
                <input
                  id={`api-token-scope-${scope}`}
                  type="radio"
                  name="api-token-scope"
                  value={scope}
                  checked={draft.scope === scope}
                  // Nothing to choose from: only "everything" makes sense.
                  disabled={scope === "chosen" && numbers.length === 0 && teams.length === 0}
                  onChange={() => setDraft({ ...draft, scope })}
                />
                <label htmlFor={`api-token-scope-${scope}`}>{t(scope === "all" ? "admin.tokens.scopeAll" : "admin.tokens.scopeChosen")}</label>
              </div>
            ))}
            {draft.scope === "chosen" && (
              <>
                <NumbersChoice
                  legend={t("admin.tokens.scopeNumbers")}
                  hint={t("admin.tokens.scopeNumbersHint")}
                  hintId="api-token-numbers-hint"
                  offered={numbers}
                  chosen={draft.numbers}
                  onChange={(chosen) => setDraft({ ...draft, numbers: chosen })}
                />
                <TeamsChoice
                  legend={t("admin.tokens.scopeTeams")}
                  hint={t("admin.tokens.scopeTeamsHint")}
                  hintId="api-token-teams-hint"
                  offered={teams}
                  chosen={draft.teams}
                  onChange={(chosen) => setDraft({ ...draft, teams: chosen })}
                />
              </>
            )}
          </fieldset>
          {showProblem && (
            <p className="load-error admin-row-error" role="alert">
              {problemText(request)}
            </p>
          )}
          {refusal && (
            <p id="api-token-refusal" className="load-error admin-row-error" role="alert" data-code={refusal.code}>
              {refusal.message}
            </p>
          )}
          <div className="admin-form-actions">
            <Button id="api-token-create" type="submit" variant="primary" disabled={typeof request === "string" || saving}>
              {saving ? t("admin.tokens.creating") : t("admin.tokens.create")}
            </Button>
            <Button variant="ghost" disabled={saving} onClick={() => openForm(null)}>
              {t("admin.tokens.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <Button id="api-token-new" variant="primary" onClick={() => openForm({ ...EMPTY_TOKEN_DRAFT })}>
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
              <th scope="col">{t("admin.tokens.scope")}</th>
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
                  <td>
                    <TokenScopeCell names={scopeNames(token, numbers, teams)} />
                  </td>
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

/**
 * "2 numbers, 1 team", naming them on hover and, opened, for keyboard and screen-reader users;
 * or that the token reads everything its creator sees.
 */
function TokenScopeCell({ names }: { names: ReturnType<typeof scopeNames> }) {
  if (names === null) return <span className="api-token-scope">{t("admin.tokens.scopeEverything")}</span>;
  const counts = new Intl.ListFormat(intlLocale(), { type: "unit" });
  const list = new Intl.ListFormat(intlLocale(), { type: "conjunction" });
  const groups = [
    { label: t("admin.tokens.scopeNumbersLabel"), names: names.numbers, count: t("admin.tokens.scopeNumberCount", { count: names.numbers.length }) },
    { label: t("admin.tokens.scopeTeamsLabel"), names: names.teams, count: t("admin.tokens.scopeTeamCount", { count: names.teams.length }) },
  ].filter((group) => group.names.length > 0);
  // Names isolated, so a display number's "+" stays put among Arabic text.
  const title = groups.map((group) => `${group.label}: ${list.format(group.names.map((n) => `\u2068${n}\u2069`))}`).join("\n");
  return (
    <details className="api-token-scope admin-role-permissions">
      <summary title={title}>{counts.format(groups.map((group) => group.count))}</summary>
      <ul>
        {groups.map((group) => (
          <li key={group.label}>
            {group.label}:{" "}
            {list.formatToParts(group.names).map((part, i) => (part.type === "element" ? <bdi key={i}>{part.value}</bdi> : part.value))}
          </li>
        ))}
      </ul>
    </details>
  );
}
