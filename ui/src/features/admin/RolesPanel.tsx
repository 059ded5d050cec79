import { useId, useState } from "react";
import type { RoleDefinition } from "../../bindings/RoleDefinition";
import type { RoleSummary } from "../../bindings/RoleSummary";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { RoleForm } from "./RoleForm";
import { useLoad } from "./useAdminData";

/**
 * The built-in roles (read-only) and custom ones: what each allows, where, and how many hold
 * it; a form to define or change a custom role, and deleting one nobody holds.
 */
export function RolesPanel() {
  const roles = useLoad("list_roles");
  const numbers = useLoad("business_numbers");
  const teams = useLoad("list_teams");
  const [editing, setEditing] = useState<RoleDefinition | null>(null);
  // A new key clears the form after a save.
  const [formKey, setFormKey] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);

  const numberName = (id: string) => numbers.data?.find((n) => n.phone_number_id === id)?.name ?? id;
  const teamName = (id: number) => teams.data?.find((team) => team.id === id)?.name ?? String(id);

  function edit(role: RoleDefinition | null) {
    setEditing(role);
    setSaved(null);
    setFormKey((k) => k + 1);
  }

  return (
    <section className="board-section admin-panel" aria-labelledby="admin-roles-title">
      <h2 id="admin-roles-title" className="board-title">
        {t("admin.roles.title")}
      </h2>
      <p className="admin-note">{t("admin.roles.note")}</p>
      {roles.error && (
        <p className="load-error" role="alert">
          {roles.error}
        </p>
      )}
      {roles.data && (
        <table id="admin-roles" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.roles.name")}</th>
              <th scope="col">{t("admin.roles.base")}</th>
              <th scope="col">{t("admin.roles.permissions")}</th>
              <th scope="col">{t("admin.roles.scope")}</th>
              <th scope="col" className="numeric">
                {t("admin.roles.holders")}
              </th>
              <th scope="col">{t("admin.users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {roles.data.map((role) => (
              <RoleRow
                key={role.definition.name}
                role={role}
                numberName={numberName}
                teamName={teamName}
                onEdit={() => edit(role.definition)}
                onDeleted={() => {
                  if (editing?.name === role.definition.name) edit(null);
                  roles.reload();
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {saved && (
        <p id="role-saved" className="admin-note" role="status" dir="auto">
          {t("admin.roles.saved", { name: saved })}
        </p>
      )}
      <RoleForm
        key={formKey}
        editing={editing}
        numbers={numbers.data ?? []}
        teams={teams.data ?? []}
        onSaved={(role) => {
          edit(null);
          setSaved(role.name);
          roles.reload();
        }}
        onCancel={() => edit(null)}
      />
    </section>
  );
}

type RowProps = {
  role: RoleSummary;
  numberName: (id: string) => string;
  teamName: (id: number) => string;
  onEdit: () => void;
  onDeleted: () => void;
};

function RoleRow({ role, numberName, teamName, onEdit, onDeleted }: RowProps) {
  const { definition, built_in: builtIn, users } = role;
  const name = definition.name;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const held = users > 0;
  const hintId = useId();

  function remove() {
    setBusy(true);
    setError(null);
    call("delete_role", { name }).then(
      () => {
        setBusy(false);
        setConfirming(false);
        onDeleted();
      },
      (err: unknown) => {
        setBusy(false);
        setConfirming(false);
        setError(toIpcError(err).message);
      },
    );
  }

  const scope = [
    definition.numbers.length === 0
      ? t("admin.roles.allNumbers")
      : t("admin.roles.onNumbers", { numbers: definition.numbers.map(numberName).join(", ") }),
    definition.teams.length === 0 ? t("admin.roles.allTeams") : t("admin.roles.onTeams", { teams: definition.teams.map(teamName).join(", ") }),
  ];

  return (
    <tr className="admin-role" data-role-name={name} data-built-in={builtIn}>
      <th scope="row">
        <span dir="auto">{builtIn ? t(`admin.role.${definition.base}`) : name}</span>
        {builtIn && <span className="admin-tag">{t("admin.roles.builtIn")}</span>}
        {definition.description && (
          <span className="admin-role-description" dir="auto">
            {definition.description}
          </span>
        )}
      </th>
      <td>{t(`admin.role.${definition.base}`)}</td>
      <td>
        <details className="admin-role-permissions">
          <summary>{t("admin.roles.permissionCount", { count: definition.permissions.length })}</summary>
          <ul>
            {definition.permissions.map((p) => (
              <li key={p}>{t(`admin.permission.${p}`)}</li>
            ))}
          </ul>
        </details>
      </td>
      <td dir="auto">{scope.join(" · ")}</td>
      <td className="numeric">{users}</td>
      <td>
        {builtIn ? (
          <span className="admin-note">{t("admin.roles.readOnly")}</span>
        ) : confirming ? (
          <div className="admin-account-actions" role="group" aria-label={t("admin.roles.confirmDelete", { name })}>
            <span dir="auto">{t("admin.roles.confirmDelete", { name })}</span>
            <Button className="role-delete-confirm" variant="primary" disabled={busy} onClick={remove} autoFocus>
              {t("admin.roles.delete")}
            </Button>
            <Button variant="ghost" disabled={busy} onClick={() => setConfirming(false)}>
              {t("admin.roles.cancel")}
            </Button>
          </div>
        ) : (
          <div className="admin-account-actions">
            <Button className="role-edit" variant="ghost" onClick={onEdit} aria-label={t("admin.roles.editNamed", { name })}>
              {t("admin.roles.edit")}
            </Button>
            <Button
              className="role-delete"
              variant="ghost"
              disabled={held}
              aria-describedby={held ? hintId : undefined}
              aria-label={t("admin.roles.deleteNamed", { name })}
              onClick={() => setConfirming(true)}
            >
              {t("admin.roles.delete")}
            </Button>
            {held && (
              <span id={hintId} className="admin-note">
                {t("admin.roles.heldHint", { count: users })}
              </span>
            )}
          </div>
        )}
        {error && (
          <p className="load-error admin-row-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
