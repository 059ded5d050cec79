import type { AgentLoad } from "../../bindings/AgentLoad";
import { t } from "../../i18n";
import { formatDuration } from "./formatDuration";

const statusLabels = {
  online: "supervisor.status.online",
  away: "supervisor.status.away",
  offline: "supervisor.status.offline",
} as const;

export function AgentsTable({ agents }: { agents: AgentLoad[] }) {
  return (
    <section className="board-section" aria-labelledby="board-agents-title">
      <h2 id="board-agents-title" className="board-title">
        {t("supervisor.agents")}
      </h2>
      {agents.length === 0 ? (
        <p className="board-empty">{t("supervisor.noAgents")}</p>
      ) : (
        <table className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("supervisor.agent")}</th>
              <th scope="col">{t("supervisor.status")}</th>
              <th scope="col" className="numeric">
                {t("supervisor.open")}
              </th>
              <th scope="col" className="numeric">
                {t("supervisor.firstResponse")}
              </th>
              <th scope="col" className="numeric">
                {t("supervisor.resolved")}
              </th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.user_id} className="board-agent" data-user-id={agent.user_id} data-status={agent.status}>
                <th scope="row" dir="auto">
                  {agent.display_name}
                </th>
                <td>
                  <span className="presence" data-status={agent.status}>
                    <span className="presence-dot" aria-hidden="true" />
                    {t(statusLabels[agent.status])}
                  </span>
                </td>
                <td className="numeric board-load">
                  {t("supervisor.load", { open: agent.open, capacity: agent.capacity })}
                </td>
                <td className="numeric board-first-response">{formatDuration(agent.first_response_seconds)}</td>
                <td className="numeric board-resolved">{agent.resolved_last_hour}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
