import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import type { Alert } from "./useAlerts";

export function AlertsList({ alerts, onOpen }: { alerts: Alert[]; onOpen: (conversationId: number) => void }) {
  return (
    <section className="board-section" aria-labelledby="board-alerts-title">
      <h2 id="board-alerts-title" className="board-title">
        {t("supervisor.alerts")}
      </h2>
      {alerts.length === 0 ? (
        <p className="board-empty">{t("supervisor.noAlerts")}</p>
      ) : (
        <ul className="alert-list">
          {alerts.map((alert) => (
            <li key={alert.key}>
              <button
                type="button"
                className="board-alert"
                data-conversation-id={alert.conversationId}
                onClick={() => onOpen(alert.conversationId)}
              >
                <Timestamp ms={alert.receivedAt} className="alert-time" />
                <span className="alert-text" dir="auto">
                  {alert.text}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
