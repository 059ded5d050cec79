import { useState } from "react";
import type { AgentRouting } from "../../bindings/AgentRouting";
import type { UserProfile } from "../../bindings/UserProfile";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { formatSkills, parseCapacity, parseSkills } from "./adminModel";
import { CreateUserForm } from "./CreateUserForm";
import { roleChoices, type RoleChoice } from "./roleChoice";
import { useLoad } from "./useAdminData";
import { UserRoleSelect } from "./UserRoleSelect";

/** Everyone with an account, agents' limits and skills, and a form for a new user. */
export function UsersPanel() {
  const users = useLoad("list_users");
  const routing = useLoad("routing_overview");
  const numbers = useLoad("business_numbers");
  const roles = useLoad("list_roles");
  const choices = roleChoices(roles.data);
  const reload = () => {
    users.reload();
    routing.reload();
  };
  const numberName = (id: string) => numbers.data?.find((n) => n.phone_number_id === id)?.name ?? id;
  return (
    <section className="board-section admin-panel" aria-labelledby="admin-users-title">
      <h2 id="admin-users-title" className="board-title">
        {t("admin.users.title")}
      </h2>
      {users.error && (
        <p className="load-error" role="alert">
          {users.error}
        </p>
      )}
      {users.data && (
        <table id="admin-users" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.users.username")}</th>
              <th scope="col">{t("admin.users.displayName")}</th>
              <th scope="col">{t("admin.users.role")}</th>
              <th scope="col">{t("admin.users.numbers")}</th>
              <th scope="col">{t("admin.users.capacity")}</th>
              <th scope="col">{t("admin.users.skills")}</th>
              <th scope="col">{t("admin.users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                routing={routing.data?.agents.find((a) => a.user_id === user.id) ?? null}
                defaultCapacity={routing.data?.default_capacity ?? null}
                numberName={numberName}
                choices={choices}
                onSaved={routing.reload}
                onRoleChanged={reload}
              />
            ))}
          </tbody>
        </table>
      )}
      <CreateUserForm numbers={numbers.data ?? []} choices={choices} onCreated={reload} />
    </section>
  );
}

type RowProps = {
  user: UserProfile;
  routing: AgentRouting | null;
  defaultCapacity: number | null;
  numberName: (id: string) => string;
  choices: RoleChoice[];
  onSaved: () => void;
  onRoleChanged: () => void;
};

function UserRow({ user, routing, defaultCapacity, numberName, choices, onSaved, onRoleChanged }: RowProps) {
  const [capacity, setCapacity] = useState<string | null>(null);
  const [skills, setSkills] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const agent = user.role === "agent";
  const capacityText = capacity ?? (routing?.max_open === null || !routing ? "" : String(routing.max_open));
  const skillsText = skills ?? formatSkills(routing?.skills ?? []);

  function save() {
    const limit = parseCapacity(capacityText);
    if (limit === "invalid") {
      setError(t("admin.users.capacityInvalid"));
      return;
    }
    setSaving(true);
    setError(null);
    call("set_agent_capacity", { user_id: user.id, max_open: limit })
      .then(() => call("set_agent_skills", { user_id: user.id, skills: parseSkills(skillsText) }))
      .then(
        () => {
          setSaving(false);
          setCapacity(null);
          setSkills(null);
          onSaved();
        },
        (err: unknown) => {
          setSaving(false);
          setError(toIpcError(err).message);
        },
      );
  }

  return (
    <tr className="admin-user" data-user-id={user.id} data-role={user.role} data-custom-role={user.custom_role ?? undefined}>
      <th scope="row">{user.username}</th>
      <td dir="auto">{user.display_name}</td>
      <td>
        <UserRoleSelect user={user} choices={choices} onChanged={onRoleChanged} />
      </td>
      <td dir="auto">{routing?.numbers.map(numberName).join(", ") || t("duration.none")}</td>
      {agent ? (
        <>
          <td>
            <input
              className="admin-capacity"
              inputMode="numeric"
              size={4}
              aria-label={t("admin.users.capacityFor", { name: user.display_name })}
              placeholder={defaultCapacity === null ? "" : t("admin.users.default", { count: defaultCapacity })}
              value={capacityText}
              onChange={(e) => setCapacity(e.target.value)}
            />
          </td>
          <td>
            <div className="admin-skills-cell">
              <input
                className="admin-skills"
                aria-label={t("admin.users.skillsFor", { name: user.display_name })}
                placeholder={t("admin.users.skillsPlaceholder")}
                value={skillsText}
                onChange={(e) => setSkills(e.target.value)}
              />
              <Button className="admin-save" variant="secondary" disabled={saving} onClick={save}>
                {t("admin.users.save")}
              </Button>
            </div>
            {error && (
              <p className="load-error admin-row-error" role="alert">
                {error}
              </p>
            )}
          </td>
        </>
      ) : (
        <>
          <td>{t("duration.none")}</td>
          <td>{t("duration.none")}</td>
        </>
      )}
      <td>
        <AccountActions user={user} />
      </td>
    </tr>
  );
}

/** Unlock an account after too many wrong passwords; end every session of a user. */
function AccountActions({ user }: { user: UserProfile }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const name = user.display_name || user.username;

  function run(action: () => Promise<string>) {
    setBusy(true);
    setResult(null);
    action().then(
      (text) => {
        setBusy(false);
        setResult({ ok: true, text });
      },
      (err: unknown) => {
        setBusy(false);
        setResult({ ok: false, text: toIpcError(err).message });
      },
    );
  }

  return (
    <div className="admin-account-actions">
      <Button
        className="admin-unlock"
        variant="ghost"
        disabled={busy}
        onClick={() => run(() => call("unlock_user", { user_id: user.id }).then(() => t("admin.users.unlocked", { name })))}
      >
        {t("admin.users.unlock")}
      </Button>
      <Button
        className="admin-sign-out-everywhere"
        variant="ghost"
        disabled={busy}
        onClick={() =>
          run(() =>
            call("sign_out_user_everywhere", { user_id: user.id }).then((ended) =>
              t("admin.users.signedOut", { name, count: ended.sessions }),
            ),
          )
        }
      >
        {t("admin.users.signOutEverywhere")}
      </Button>
      {result && (
        <p className={result.ok ? "admin-note" : "load-error"} role={result.ok ? "status" : "alert"}>
          {result.text}
        </p>
      )}
    </div>
  );
}
