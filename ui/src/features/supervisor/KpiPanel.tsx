import { useState } from "react";
import type { KpiBucket } from "../../bindings/KpiBucket";
import type { KpiReport } from "../../bindings/KpiReport";
import { Timestamp } from "../../components/Timestamp";
import { intlLocale, t, useLocale } from "../../i18n";
import { BarChart } from "./BarChart";
import { formatDuration } from "./formatDuration";
import { KpiTable } from "./KpiTable";
import { LineChart } from "./LineChart";
import { useKpis } from "./useKpis";
import "./kpis.css";

/** The stretches a supervisor can pick, in hours. */
export const KPI_STRETCHES = [24, 168] as const;

function hourLabel(hours: number) {
  const format = new Intl.DateTimeFormat(
    intlLocale(),
    hours > 24 ? { weekday: "short", hour: "numeric" } : { hour: "numeric", minute: "2-digit" },
  );
  return (bucket: KpiBucket) => format.format(new Date(bucket.start));
}

/** Key figures over the last day or week: totals, charts hour by hour, and per agent. */
export function KpiPanel() {
  useLocale();
  const [hours, setHours] = useState<number>(24);
  const { report, error, loading } = useKpis(hours);
  return (
    <section id="kpi-panel" className="board-section kpi-panel" aria-labelledby="kpi-title" aria-busy={loading}>
      <div className="kpi-head">
        <h2 id="kpi-title" className="board-title">
          {t("kpi.title")}
        </h2>
        <label className="kpi-stretch">
          {t("kpi.stretch")}
          <select id="kpi-hours" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {KPI_STRETCHES.map((h) => (
              <option key={h} value={h}>
                {t("kpi.lastHours", { count: h })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p id="kpi-error" className="load-error">
          {t("kpi.failed", { message: error })}
        </p>
      )}
      {report ? <KpiReportView report={report} /> : !error && <p className="board-empty">{t("kpi.loading")}</p>}
    </section>
  );
}

function KpiReportView({ report }: { report: KpiReport }) {
  const label = hourLabel(report.hours);
  const labels = report.buckets.map(label);
  const { total } = report;
  const tiles: [string, string, string][] = [
    ["inbound", t("kpi.inbound"), String(total.inbound)],
    ["opened", t("kpi.opened"), String(total.opened)],
    ["resolved", t("kpi.resolved"), String(total.resolved)],
    ["median", t("kpi.median"), formatDuration(total.first_response_median_seconds)],
    ["p90", t("kpi.p90"), formatDuration(total.first_response_p90_seconds)],
    ["breaches", t("kpi.breaches"), String(total.sla_breaches)],
    ["reopened", t("kpi.reopened"), String(total.reopened)],
    ["waiting", t("kpi.waitingNow"), String(report.waiting_now)],
  ];
  return (
    <div className="kpi-body">
      <p className="board-updated">
        {t("supervisor.updated")} <Timestamp ms={report.at} />
      </p>
      <dl className="kpi-tiles">
        {tiles.map(([key, name, value]) => (
          <div key={key} className="kpi-tile" data-kpi={key}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="kpi-charts">
        <BarChart
          className="kpi-chart-inbound"
          title={t("kpi.chart.inbound")}
          summary={t("kpi.chart.inboundSummary", { count: total.inbound })}
          points={report.buckets.map((b, i) => ({ label: labels[i]!, value: b.inbound }))}
        />
        <BarChart
          className="kpi-chart-resolved"
          title={t("kpi.chart.resolved")}
          summary={t("kpi.chart.resolvedSummary", { count: total.resolved })}
          points={report.buckets.map((b, i) => ({ label: labels[i]!, value: b.resolved }))}
        />
        <LineChart
          title={t("kpi.chart.firstResponse")}
          summary={t("kpi.chart.firstResponseSummary", {
            median: formatDuration(total.first_response_median_seconds),
            p90: formatDuration(total.first_response_p90_seconds),
          })}
          labels={labels}
          format={formatDuration}
          series={[
            { name: t("kpi.median"), className: "kpi-series-median", values: report.buckets.map((b) => b.first_response_median_seconds) },
            { name: t("kpi.p90"), className: "kpi-series-p90", values: report.buckets.map((b) => b.first_response_p90_seconds) },
          ]}
        />
      </div>
      <KpiTable buckets={report.buckets} label={label} />
      <table id="kpi-agents" className="board-table">
        <caption className="kpi-caption">{t("kpi.agents")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("supervisor.agent")}</th>
            <th scope="col" className="numeric">
              {t("kpi.replies")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.answered")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.median")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.resolved")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.reopened")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.breaches")}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.agents.map((agent) => (
            <tr key={agent.user_id} className="kpi-agent" data-user-id={agent.user_id}>
              <th scope="row" dir="auto">
                {agent.display_name}
              </th>
              <td className="numeric">{agent.replies}</td>
              <td className="numeric">{agent.answered}</td>
              <td className="numeric">{formatDuration(agent.first_response_median_seconds)}</td>
              <td className="numeric">{agent.resolved}</td>
              <td className="numeric">{agent.reopened}</td>
              <td className="numeric">{agent.sla_breaches}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
