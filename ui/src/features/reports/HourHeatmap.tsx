import { useRef, useState, type KeyboardEvent } from "react";
import { direction, intlLocale, t, useLocale } from "../../i18n";
import { HEAT_LEVELS, firstDayOfWeek, heatmap, hourName, weekdayName } from "./heatmapModel";
import { formatCount } from "./reportModel";

type Props = {
  /** The server's `heatmap[day][hour]`, day 0 Monday. */
  days: number[][];
  /** The zone its hours are in. */
  zone: string;
};

// Hours with a visible label above the grid; every cell still names its own hour.
const LABELLED_HOURS = new Set([0, 3, 6, 9, 12, 15, 18, 21]);

/**
 * Customer messages by weekday and hour as a 7 × 24 grid, the week starting on the reader's
 * first day and mirrored in Arabic (the table follows the page's direction). Each cell says
 * its day, hour and count; the arrow keys move between cells, as the eye would.
 */
export function HourHeatmap({ days, zone }: Props) {
  const locale = useLocale();
  const tag = intlLocale();
  const grid = heatmap(days, firstDayOfWeek(tag));
  const [focus, setFocus] = useState({ row: 0, hour: 0 });
  const table = useRef<HTMLTableElement>(null);
  const rtl = direction(locale) === "rtl";

  function move(e: KeyboardEvent<HTMLTableElement>) {
    const step: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, rtl ? 1 : -1],
      ArrowRight: [0, rtl ? -1 : 1],
    };
    let next = focus;
    if (e.key in step) {
      const [dr, dh] = step[e.key]!;
      next = { row: Math.min(6, Math.max(0, focus.row + dr)), hour: Math.min(23, Math.max(0, focus.hour + dh)) };
    } else if (e.key === "Home") next = { ...focus, hour: 0 };
    else if (e.key === "End") next = { ...focus, hour: 23 };
    else return;
    e.preventDefault();
    setFocus(next);
    table.current?.querySelector<HTMLElement>(`[data-row="${next.row}"][data-hour="${next.hour}"]`)?.focus();
  }

  return (
    <figure className="report-heatmap">
      <figcaption className="kpi-chart-title" id="report-heatmap-title">
        {t("reports.heatmap.title")} <span className="report-zone">{t("reports.heatmap.zone", { zone })}</span>
      </figcaption>
      <div className="report-heatmap-frame">
        <table id="report-heatmap" ref={table} className="heatmap" aria-labelledby="report-heatmap-title" onKeyDown={move}>
          <thead>
            <tr>
              <td />
              {grid.rows[0]!.cells.map(({ hour }) => (
                <th key={hour} scope="col" className="heat-hour">
                  {LABELLED_HOURS.has(hour) ? hourName(hour, tag) : <span className="visually-hidden">{hourName(hour, tag)}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row, r) => {
              const day = weekdayName(row.weekday, tag);
              return (
                <tr key={row.weekday} data-weekday={row.weekday}>
                  <th scope="row" className="heat-day">
                    <abbr title={day}>{weekdayName(row.weekday, tag, "short")}</abbr>
                  </th>
                  {row.cells.map((cell) => {
                    const label = t("reports.heatmap.cell", { day, hour: hourName(cell.hour, tag), count: cell.count, shown: formatCount(cell.count) });
                    return (
                      <td
                        key={cell.hour}
                        className="heat-cell"
                        data-row={r}
                        data-hour={cell.hour}
                        data-count={cell.count}
                        data-level={cell.level}
                        title={label}
                        aria-label={label}
                        tabIndex={focus.row === r && focus.hour === cell.hour ? 0 : -1}
                        onFocus={() => setFocus({ row: r, hour: cell.hour })}
                      >
                        <span className="heat-swatch" aria-hidden="true" />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="heat-legend" aria-hidden="true">
        <span>{formatCount(0)}</span>
        {Array.from({ length: HEAT_LEVELS }, (_, level) => (
          <span key={level} className="heat-cell heat-key" data-level={level}>
            <span className="heat-swatch" />
          </span>
        ))}
        <span>{formatCount(grid.max)}</span>
      </div>
      <p className="visually-hidden">{t("reports.heatmap.summary", { count: grid.total, shown: formatCount(grid.total), max: formatCount(grid.max) })}</p>
    </figure>
  );
}
