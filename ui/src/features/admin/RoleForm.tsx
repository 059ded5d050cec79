import { useState, type FormEvent } from "react";
import type { NumberSummary } from "../../bindings/NumberSummary";
import type { Permission } from "../../bindings/Permission";
import type { Role } from "../../bindings/Role";
import type { RoleDefinition } from "../../bindings/RoleDefinition";
import type { TeamSummary } from "../../bindings/TeamSummary";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { ALL_PERMISSIONS, BUILTIN_PERMISSIONS } from "../session/permissions";
import { NumbersChoice, TeamsChoice } from "./ScopeChoice";

const BASES: Role[] = ["agent", "supervisor", "admin"];

type Props = {
  /** The custom role to change, or `null` for a new one. */
  editing: RoleDefinition | null;
  numbers: NumberSummary[];
  teams: TeamSummary[];
  onSaved: (role: RoleDefinition) => void;
  onCancel: () => void;
};

const sameSet = (a: readonly Permission[], b: readonly Permission[]) => a.length === b.length && a.every((p) => b.includes(p));

/**
 * A custom role: name (fixed once created), the built-in role it builds on, what its holders
 * may do, and the numbers and teams it is limited to. The server checks it and says what to fix.
 */
export function RoleForm({ editing, numbers, teams, onSaved, onCancel }: Props) {
  const [name, setName] = useState(editing?.name ?? "");
  const [base, setBase] = useState<Role>(editing?.base ?? "agent");
  const [description, setDescription] = useState(editing?.description ?? "");
  const [permissions, setPermissions] = useState<Permission[]>(editing?.permissions ?? [...BUILTIN_PERMISSIONS.agent]);
  const [chosenNumbers, setNumbers] = useState<string[]>(editing?.numbers ?? []);
  const [chosenTeams, setTeams] = useState<number[]>(editing?.teams ?? []);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function changeBase(next: Role) {
    // Until the admin picks permissions themselves, a new base brings its own as a start.
    if (sameSet(permissions, BUILTIN_PERMISSIONS[base])) setPermissions([...BUILTIN_PERMISSIONS[next]]);
    setBase(next);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const role: RoleDefinition = {
      name: editing?.name ?? name,
      base,
      description,
      // In the server's order, so the request reads the same however the boxes were ticked.
      permissions: ALL_PERMISSIONS.filter((p) => permissions.includes(p)),
      numbers: chosenNumbers,
      teams: chosenTeams,
    };
    call(editing ? "update_role" : "create_role", role).then(
      (saved) => {
        setSaving(false);
        onSaved(saved);
      },
      (err: unknown) => {
        setSaving(false);
        setError(toIpcError(err).message);
      },
    );
  }

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  const title = editing ? t("admin.roles.editTitle", { name: editing.name }) : t("admin.roles.create");

  return (
    <form id="role-form" className="admin-form" onSubmit={submit} aria-labelledby="role-form-title">
      <h3 id="role-form-title" className="admin-subtitle" dir="auto">
        {title}
      </h3>
      <div className="admin-fields">
        <label>
          {t("admin.roles.name")}
          <input
            id="role-name"
            dir="auto"
            required
            maxLength={40}
            readOnly={editing !== null}
            aria-describedby={editing ? "role-name-fixed" : undefined}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
          />
        </label>
        <label>
          {t("admin.roles.base")}
          <select id="role-base" value={base} aria-describedby="role-base-hint" onChange={(e) => changeBase(e.target.value as Role)}>
            {BASES.map((r) => (
              <option key={r} value={r}>
                {t(`admin.role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="admin-wide-field">
          {t("admin.roles.description")}
          <input id="role-description" dir="auto" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
      </div>
      {editing && (
        <p id="role-name-fixed" className="admin-note">
          {t("admin.roles.nameFixed")}
        </p>
      )}
      <p id="role-base-hint" className="admin-note">
        {t("admin.roles.baseHint")}
      </p>
      <fieldset className="admin-permissions-choice">
        <legend>{t("admin.roles.permissions")}</legend>
        {ALL_PERMISSIONS.map((p) => (
          <div key={p} className="admin-permission">
            <input
              id={`role-permission-${p}`}
              type="checkbox"
              value={p}
              checked={permissions.includes(p)}
              aria-describedby={`role-permission-${p}-hint`}
              onChange={(e) => setPermissions((list) => toggle(list, p, e.target.checked))}
            />
            <label htmlFor={`role-permission-${p}`}>{t(`admin.permission.${p}`)}</label>
            <span id={`role-permission-${p}-hint`} className="admin-permission-hint">
              {t(`admin.permission.${p}.hint`)}
            </span>
          </div>
        ))}
      </fieldset>
      <NumbersChoice
        legend={t("admin.roles.numbers")}
        hint={t("admin.roles.numbersHint")}
        hintId="role-numbers-hint"
        offered={numbers}
        chosen={chosenNumbers}
        onChange={setNumbers}
      />
      <TeamsChoice
        legend={t("admin.roles.teams")}
        hint={t("admin.roles.teamsHint")}
        hintId="role-teams-hint"
        offered={teams}
        chosen={chosenTeams}
        onChange={setTeams}
      />
      {error && (
        <p id="role-error" className="load-error" role="alert">
          {error}
        </p>
      )}
      <div className="admin-form-actions">
        <Button id="role-submit" type="submit" variant="primary" disabled={saving}>
          {saving ? t("admin.roles.saving") : editing ? t("admin.roles.save") : t("admin.roles.createButton")}
        </Button>
        {editing && (
          <Button id="role-cancel" variant="ghost" onClick={onCancel}>
            {t("admin.roles.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
