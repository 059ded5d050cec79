import type { ReportGrouping } from "../../bindings/ReportGrouping";
import type { ReportRow } from "../../bindings/ReportRow";
import { t } from "../../i18n";
import { FIGURES, GROUPINGS, formatCount, formatCsat, formatFigure, groupName } from "./reportModel";

/** One row per group with every figure compared across groups, CSAT with its spread and count. */
export function ReportTable({ grouping, rows }: { grouping: ReportGrouping; rows: ReportRow[] }) {
  const groupLabel = t(GROUPINGS.find((g) => g.id === grouping)!.label);
  return (
    <div className="report-table-frame">
      <table id="report-rows" className="board-table report-table">
        <caption className="kpi-caption">{t("reports.tableCaption", { group: groupLabel })}</caption>
        <thead>
          <tr>
            <th scope="col">{groupLabel}</th>
            {FIGURES.map((figure) => (
              <th key={figure.id} scope="col" className="numeric">
                {figure.id === "csat" ? t("reports.figure.csat") : t(figure.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={FIGURES.length + 1}>{t("reports.noRows")}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.key} className="report-row" data-key={row.key}>
                <th scope="row" dir="auto">
                  {groupName(grouping, row)}
                </th>
                {FIGURES.map((figure) => (
                  <td key={figure.id} className="numeric" data-figure={figure.id}>
                    {figure.id === "csat" ? (
                      <>
                        {formatCsat(row.figures.csat)}
                        {row.figures.csat.responses > 0 && <span className="report-count"> ({formatCount(row.figures.csat.responses)})</span>}
                      </>
                    ) : (
                      formatFigure(figure.kind, figure.value(row.figures))
                    )}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
