import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { ExportPanel } from "../export/ExportPanel";
import { AgentsTable } from "./AgentsTable";
import { AlertsList } from "./AlertsList";
import { CsatPanel } from "./CsatPanel";
import { KpiPanel } from "./KpiPanel";
import { QueuesTable } from "./QueuesTable";
import type { Alert } from "./useAlerts";
import { useSupervisorBoard } from "./useSupervisorBoard";

type Props = {
  alerts: Alert[];
  canOpen: (conversationId: number) => boolean;
  onOpen: (conversationId: number) => void;
};

/** Supervisors and admins: agents, queues and recent alerts, live, key figures, and exports. */
export function SupervisorView({ alerts, canOpen, onOpen }: Props) {
  const { board, error } = useSupervisorBoard();
  return (
    <main id="supervisor-view" className="supervisor-view" aria-label={t("supervisor.title")}>
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      {board ? (
        <>
          <p className="board-updated">
            {t("supervisor.updated")} <Timestamp ms={board.at} />
          </p>
          <AgentsTable agents={board.agents} />
          <QueuesTable board={board} canOpen={canOpen} onOpen={onOpen} />
        </>
      ) : (
        !error && <p className="board-empty">{t("supervisor.loading")}</p>
      )}
      <AlertsList alerts={alerts} onOpen={onOpen} />
      <KpiPanel />
      <CsatPanel />
      <ExportPanel />
    </main>
  );
}
