import type { ReportGrouping } from "../../bindings/ReportGrouping";
import type { ReportRow } from "../../bindings/ReportRow";
import { t } from "../../i18n";
import { BarChart } from "../supervisor/BarChart";
import { FIGURES, chartPoints, formatFigure } from "./reportModel";

/** A bar chart per figure, one bar per group that has a value; figures with none are left out. */
export function ReportCharts({ grouping, rows }: { grouping: ReportGrouping; rows: ReportRow[] }) {
  const charts = FIGURES.map((figure) => ({ figure, points: chartPoints(figure, grouping, rows) })).filter((c) => c.points.length > 0);
  if (charts.length === 0) return null;
  return (
    <div className="kpi-charts report-charts">
      {charts.map(({ figure, points }) => (
        <BarChart
          key={figure.id}
          className={`report-chart report-chart-${figure.id}`}
          title={t(figure.label)}
          summary={t("reports.chartSummary", { count: points.length })}
          points={points}
          format={(value) => formatFigure(figure.kind, value)}
        />
      ))}
    </div>
  );
}
