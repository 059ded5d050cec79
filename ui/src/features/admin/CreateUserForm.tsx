import { useState, type FormEvent } from "react";
import type { NumberSummary } from "../../bindings/NumberSummary";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import type { RoleChoice } from "./roleChoice";

type Props = { numbers: NumberSummary[]; choices: RoleChoice[]; onCreated: () => void };

/** A new user: the server checks the name, the password and the numbers, and says what to fix. */
export function CreateUserForm({ numbers, choices, onCreated }: Props) {
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState("builtin:agent");
  const [chosen, setChosen] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    setCreated(null);
    const choice = choices.find((c) => c.value === role)?.request ?? { role: "agent", custom_role: null };
    call("create_user", { username, display_name: displayName, password, ...choice, numbers: chosen }).then(
      (user) => {
        setSaving(false);
        setCreated(user.username);
        setUsername("");
        setDisplayName("");
        setPassword("");
        setChosen([]);
        onCreated();
      },
      (err: unknown) => {
        setSaving(false);
        setError(toIpcError(err).message);
      },
    );
  }

  function toggle(number: string, on: boolean) {
    setChosen((list) => (on ? [...list, number] : list.filter((n) => n !== number)));
  }

  return (
    <form id="create-user" className="admin-form" onSubmit={submit} aria-labelledby="create-user-title">
      <h3 id="create-user-title" className="admin-subtitle">
        {t("admin.users.create")}
      </h3>
      <div className="admin-fields">
        <label>
          {t("admin.users.username")}
          <input id="new-username" required value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
        </label>
        <label>
          {t("admin.users.displayName")}
          <input id="new-display-name" dir="auto" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          {t("admin.users.password")}
          <input
            id="new-password"
            type="password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
          />
        </label>
        <label>
          {t("admin.users.role")}
          <select id="new-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.custom ? c.label : t(`admin.role.${c.request.role}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {numbers.length > 0 && (
        <fieldset className="admin-numbers-choice">
          <legend>{t("admin.users.numbers")}</legend>
          {numbers.map((n) => (
            <label key={n.phone_number_id}>
              <input
                type="checkbox"
                value={n.phone_number_id}
                checked={chosen.includes(n.phone_number_id)}
                onChange={(e) => toggle(n.phone_number_id, e.target.checked)}
              />
              <span dir="auto">{n.name}</span> <bdi dir="ltr">{n.display_number}</bdi>
            </label>
          ))}
        </fieldset>
      )}
      {error && (
        <p id="create-user-error" className="load-error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <p id="create-user-done" className="admin-note" role="status">
          {t("admin.users.created", { username: created })}
        </p>
      )}
      <Button id="create-user-submit" type="submit" variant="primary" disabled={saving}>
        {saving ? t("admin.users.creating") : t("admin.users.createButton")}
      </Button>
    </form>
  );
}
