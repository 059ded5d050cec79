import type { SupervisorBoard } from "../../bindings/SupervisorBoard";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { waitedSeconds } from "./boardModel";
import { formatDuration } from "./formatDuration";
import { useNow } from "./useNow";

type Props = {
  board: SupervisorBoard;
  /** Whether this desk has the conversation, so opening it shows something. */
  canOpen: (conversationId: number) => boolean;
  onOpen: (conversationId: number) => void;
};

export function QueuesTable({ board, canOpen, onOpen }: Props) {
  const now = useNow(1_000);
  return (
    <section className="board-section" aria-labelledby="board-queues-title">
      <h2 id="board-queues-title" className="board-title">
        {t("supervisor.queues")}
      </h2>
      {board.queues.length === 0 ? (
        <p className="board-empty">{t("supervisor.noQueues")}</p>
      ) : (
        <table className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("supervisor.queue")}</th>
              <th scope="col" className="numeric">
                {t("supervisor.waiting")}
              </th>
              <th scope="col" className="numeric">
                {t("supervisor.longestWait")}
              </th>
              <th scope="col">{t("supervisor.oldest")}</th>
            </tr>
          </thead>
          <tbody>
            {board.queues.map((queue) => {
              const oldest = queue.oldest_conversation_id;
              return (
                <tr
                  key={queue.team_id === null ? `number-${queue.phone_number_id}` : `team-${queue.team_id}`}
                  className="board-queue"
                  data-waiting={queue.waiting}
                >
                  <th scope="row" dir="auto">
                    {queue.name}
                  </th>
                  <td className="numeric board-waiting">{queue.waiting}</td>
                  <td className="numeric board-longest-wait">
                    {formatDuration(waitedSeconds(queue, board.at, now))}
                  </td>
                  <td>
                    {oldest !== null && canOpen(oldest) ? (
                      <Button
                        variant="secondary"
                        className="board-open"
                        data-conversation-id={oldest}
                        onClick={() => onOpen(oldest)}
                      >
                        {t("supervisor.openOldest")}
                      </Button>
                    ) : (
                      t("duration.none")
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
