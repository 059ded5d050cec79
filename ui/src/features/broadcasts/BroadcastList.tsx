import type { Broadcast } from "../../bindings/Broadcast";
import type { BroadcastState } from "../../bindings/BroadcastState";
import { t, useLocale } from "../../i18n";
import { formatCount, formatInstant, progressOf, STATE_LABELS } from "./broadcastModel";

type Props = {
  broadcasts: readonly Broadcast[];
  selected: number | null;
  onSelect: (id: number) => void;
  /** A user's name by id, when the desk knows it. */
  userName: (id: number) => string | null;
  /** A number's label by phone_number_id. */
  numberLabel: (id: string) => string;
};

/** A state's name in its colour; the word is always there, so colour is never alone. */
export function StateBadge({ state }: { state: BroadcastState }) {
  return (
    <span className="broadcast-state" data-state={state}>
      {t(STATE_LABELS[state])}
    </span>
  );
}

/** Every broadcast, newest first: what, to whom, from where, when and how far. */
export function BroadcastList({ broadcasts, selected, onSelect, userName, numberLabel }: Props) {
  useLocale();
  if (broadcasts.length === 0) return <p className="board-empty">{t("broadcasts.none")}</p>;
  const sorted = [...broadcasts].sort((a, b) => b.created_at - a.created_at || b.id - a.id);
  return (
    <table id="broadcasts" className="board-table broadcasts-table">
      <caption className="visually-hidden">{t("broadcasts.listCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("broadcasts.column.name")}</th>
          <th scope="col">{t("broadcasts.column.state")}</th>
          <th scope="col">{t("broadcasts.column.audience")}</th>
          <th scope="col">{t("broadcasts.column.template")}</th>
          <th scope="col">{t("broadcasts.column.numbers")}</th>
          <th scope="col">{t("broadcasts.column.scheduled")}</th>
          <th scope="col">{t("broadcasts.column.progress")}</th>
          <th scope="col">{t("broadcasts.column.createdBy")}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((b) => {
          const { done, total } = progressOf(b);
          const creator = b.created_by === null ? null : (userName(b.created_by) ?? `#${b.created_by}`);
          return (
            <tr key={b.id} className="broadcast-row" data-broadcast-id={b.id} data-state={b.state} aria-current={selected === b.id ? "true" : undefined}>
              <th scope="row">
                <button type="button" className="link-button broadcast-open" onClick={() => onSelect(b.id)} dir="auto">
                  {b.name}
                </button>
              </th>
              <td>
                <StateBadge state={b.state} />
              </td>
              <td dir="auto" className="broadcast-audience">
                {b.audience}
              </td>
              <td dir="auto">{`${b.template} (${b.language})`}</td>
              <td>{b.numbers.map(numberLabel).join(", ")}</td>
              <td>{b.scheduled_at === null ? "–" : formatInstant(b.scheduled_at)}</td>
              <td className="numeric">
                {b.state === "draft" ? (
                  "–"
                ) : (
                  <>
                    <progress className="broadcast-progress" max={Math.max(1, total)} value={done} aria-hidden="true" />{" "}
                    {t("broadcasts.progress", { done: formatCount(done), total: formatCount(total) })}
                  </>
                )}
              </td>
              <td dir="auto">{creator ?? "–"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
