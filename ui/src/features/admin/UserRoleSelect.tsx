import { useState } from "react";
import type { UserProfile } from "../../bindings/UserProfile";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { choiceOf, type RoleChoice } from "./roleChoice";

type Props = { user: UserProfile; choices: RoleChoice[]; onChanged: () => void };

/**
 * A user's role in the users table: built-in or custom, changed with an explicit Apply so a
 * stray keypress in the select does not change anyone's rights. The server refuses a change
 * that would leave nobody able to manage users, and says so.
 */
export function UserRoleSelect({ user, choices, onChanged }: Props) {
  const current = choiceOf(user);
  const [picked, setPicked] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const value = picked ?? current;
  // A custom role the list does not have (yet) still shows as what the user holds.
  const options = choices.some((c) => c.value === current)
    ? choices
    : [...choices, { value: current, request: { role: user.role, custom_role: user.custom_role }, custom: true, label: user.custom_role }];
  const name = user.display_name || user.username;

  function apply() {
    const choice = options.find((c) => c.value === value);
    if (!choice) return;
    setSaving(true);
    setError(null);
    call("set_user_role", { user_id: user.id, role: choice.request }).then(
      () => {
        setSaving(false);
        setPicked(null);
        onChanged();
      },
      (err: unknown) => {
        setSaving(false);
        setError(toIpcError(err).message);
      },
    );
  }

  return (
    <div className="admin-role-cell">
      <div className="admin-skills-cell">
        <select
          className="admin-user-role"
          aria-label={t("admin.users.roleFor", { name })}
          value={value}
          onChange={(e) => {
            setPicked(e.target.value);
            setError(null);
          }}
        >
          {options.map((c) => (
            <option key={c.value} value={c.value}>
              {c.custom ? c.label : t(`admin.role.${c.request.role}`)}
            </option>
          ))}
        </select>
        {value !== current && (
          <Button className="admin-role-apply" variant="secondary" disabled={saving} onClick={apply}>
            {t("admin.users.applyRole")}
          </Button>
        )}
      </div>
      {user.custom_role && <span className="admin-note">{t("admin.users.basedOn", { role: t(`admin.role.${user.role}`) })}</span>}
      {error && (
        <p className="load-error admin-row-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
