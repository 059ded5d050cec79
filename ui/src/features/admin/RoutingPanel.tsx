import { t } from "../../i18n";
import { formatDuration } from "../supervisor/formatDuration";
import { formatSkills } from "./adminModel";
import { useLoad } from "./useAdminData";

/** Teams, queues and routing defaults as the server's settings file configures them. */
export function RoutingPanel() {
  const routing = useLoad("routing_overview");
  const teams = useLoad("list_teams");
  const users = useLoad("list_users");
  const numbers = useLoad("business_numbers");
  const userName = (id: number) => users.data?.find((u) => u.id === id)?.display_name ?? `#${id}`;
  const numberName = (id: string) => numbers.data?.find((n) => n.phone_number_id === id)?.name ?? id;
  const error = routing.error ?? teams.error;
  const overview = routing.data;
  return (
    <section className="board-section admin-panel" aria-labelledby="admin-routing-title">
      <h2 id="admin-routing-title" className="board-title">
        {t("admin.routing.title")}
      </h2>
      <p id="admin-routing-note" className="admin-note">
        {t("admin.routing.readOnly")}
      </p>
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      {overview && (
        <dl className="admin-facts">
          <div>
            <dt>{t("admin.routing.defaultCapacity")}</dt>
            <dd>{overview.default_capacity}</dd>
          </div>
          <div>
            <dt>{t("admin.routing.maxCapacity")}</dt>
            <dd>{overview.max_capacity}</dd>
          </div>
          <div>
            <dt>{t("admin.routing.grace")}</dt>
            <dd>{formatDuration(Number(overview.grace_seconds))}</dd>
          </div>
          <div>
            <dt>{t("admin.routing.priorityTags")}</dt>
            <dd>
              {Object.entries(overview.priority_tags)
                .map(([tag, priority]) => `${tag} (${priority})`)
                .join(", ") || t("duration.none")}
            </dd>
          </div>
        </dl>
      )}
      <h3 className="admin-subtitle">{t("admin.routing.teams")}</h3>
      {teams.data && teams.data.length === 0 && <p className="admin-note">{t("admin.routing.noTeams")}</p>}
      {teams.data && teams.data.length > 0 && (
        <table id="admin-teams" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.routing.team")}</th>
              <th scope="col">{t("admin.routing.numbers")}</th>
              <th scope="col">{t("admin.routing.members")}</th>
            </tr>
          </thead>
          <tbody>
            {teams.data.map((team) => (
              <tr key={team.id} className="admin-team">
                <th scope="row" dir="auto">
                  {team.name}
                </th>
                <td dir="auto">{team.numbers.map(numberName).join(", ") || t("duration.none")}</td>
                <td dir="auto">{team.members.map(userName).join(", ") || t("duration.none")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="admin-subtitle">{t("admin.routing.queues")}</h3>
      {overview && overview.queues.length === 0 && <p className="admin-note">{t("admin.routing.noQueues")}</p>}
      {overview && overview.queues.length > 0 && (
        <table id="admin-queues" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("supervisor.queue")}</th>
              <th scope="col">{t("admin.routing.strategy")}</th>
              <th scope="col">{t("admin.routing.sla")}</th>
              <th scope="col">{t("admin.routing.hours")}</th>
            </tr>
          </thead>
          <tbody>
            {overview.queues.map((q) => (
              <tr key={q.team_id === null ? `n-${q.phone_number_id}` : `t-${q.team_id}`} className="admin-queue">
                <th scope="row" dir="auto">
                  {q.name}
                </th>
                <td>
                  <code>{q.strategy}</code>
                  {q.strategy === "sticky" && ` (${t("admin.routing.stickyDays", { count: Number(q.sticky_days) })})`}
                </td>
                <td>
                  {q.sla_minutes === null
                    ? t("duration.none")
                    : t("admin.routing.slaValue", { minutes: q.sla_minutes, action: q.sla_action })}
                </td>
                <td>{q.business_hours_time_zone ?? t("admin.routing.always")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="admin-subtitle">{t("admin.routing.agents")}</h3>
      {overview && (
        <table id="admin-agent-routing" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("supervisor.agent")}</th>
              <th scope="col" className="numeric">
                {t("supervisor.open")}
              </th>
              <th scope="col">{t("admin.users.skills")}</th>
              <th scope="col">{t("admin.routing.numbers")}</th>
            </tr>
          </thead>
          <tbody>
            {overview.agents.map((a) => (
              <tr key={a.user_id}>
                <th scope="row" dir="auto">
                  {userName(a.user_id)}
                </th>
                <td className="numeric">
                  {t("supervisor.load", { open: a.open, capacity: a.max_open ?? overview.default_capacity })}
                </td>
                <td>{formatSkills(a.skills) || t("duration.none")}</td>
                <td dir="auto">{a.numbers.map(numberName).join(", ") || t("duration.none")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
