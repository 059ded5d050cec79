import { useEffect, useState } from "react";
import type { CostGrouping } from "../../bindings/CostGrouping";
import type { CostReport } from "../../bindings/CostReport";
import { t, useLocale, type StringKey } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { instantInZone, localInZone } from "../automation/calendarModel";
import { BarChart } from "../supervisor/BarChart";
import { formatCount, formatMoney, localZone } from "./broadcastModel";
import { categoryName, countryName, formatTotals } from "./CostTables";

const GROUPINGS: { id: CostGrouping; label: StringKey }[] = [
  { id: "number", label: "broadcasts.costs.byNumber" },
  { id: "country", label: "broadcasts.costs.byCountry" },
  { id: "category", label: "broadcasts.costs.byCategory" },
  { id: "month", label: "broadcasts.costs.byMonth" },
  { id: "team", label: "broadcasts.costs.byTeam" },
  { id: "campaign", label: "broadcasts.costs.byCampaign" },
];

const DAY_MS = 86_400_000;

/**
 * A group's key as the reader knows it: a country or category named, a team or broadcast by
 * the name the server gives (`label`), messages of no team or broadcast said so, a number or
 * month as is.
 */
export function groupLabel(grouping: CostGrouping, key: string, label?: string | null): string {
  if (grouping === "country") return countryName(key);
  if (grouping === "category") return categoryName(key);
  if (grouping === "team") return key === "none" ? t("broadcasts.costs.noTeam") : (label ?? key);
  if (grouping === "campaign") return key === "conversations" ? t("broadcasts.costs.conversations") : (label ?? key);
  return key;
}

/** The days a report covers, as typed (`YYYY-MM-DD`, the admin's zone), into `[from, until)`. */
export function periodOf(fromDay: string, untilDay: string, zone = localZone()): { from: number; until: number } | null {
  const from = instantInZone(`${fromDay}T00:00`, zone);
  const lastDay = instantInZone(`${untilDay}T00:00`, zone);
  if (from === null || lastDay === null) return null;
  // Through the end of the last day: the next day's midnight, also across a clock change.
  const next = instantInZone(`${localInZone(lastDay + DAY_MS + 3 * 3_600_000, zone).slice(0, 10)}T00:00`, zone);
  if (next === null || next <= from) return null;
  return { from, until: next };
}

/**
 * What messages cost (report viewers): WhatsApp's priced messages delivered in a period,
 * grouped by business number, country, category, month, team or broadcast, at the rate card's prices.
 */
export function CostReportPanel() {
  useLocale();
  const zone = localZone();
  const [grouping, setGrouping] = useState<CostGrouping>("category");
  const [fromDay, setFromDay] = useState(() => localInZone(Date.now() - 29 * DAY_MS, zone).slice(0, 10));
  const [untilDay, setUntilDay] = useState(() => localInZone(Date.now(), zone).slice(0, 10));
  const [report, setReport] = useState<CostReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const period = periodOf(fromDay, untilDay, zone);

  useEffect(() => {
    if (!period) return;
    let current = true;
    call("cost_report", { from: period.from, until: period.until, group_by: grouping }).then(
      (answer) => {
        if (!current) return;
        setReport(answer);
        setError(null);
      },
      (err: unknown) => current && setError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, [period?.from, period?.until, grouping]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section id="cost-report" className="board-section admin-panel cost-report-panel" aria-labelledby="cost-report-title">
      <h2 id="cost-report-title" className="board-title">
        {t("broadcasts.costs.title")}
      </h2>
      <p className="admin-note">{t("broadcasts.costs.note")}</p>
      <div className="admin-fields">
        <div className="automation-field">
          <label htmlFor="cost-group-by">{t("broadcasts.costs.groupBy")}</label>
          <select id="cost-group-by" value={grouping} onChange={(e) => setGrouping(e.target.value as CostGrouping)}>
            {GROUPINGS.map((g) => (
              <option key={g.id} value={g.id}>
                {t(g.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="automation-field">
          <label htmlFor="cost-from">{t("broadcasts.costs.from")}</label>
          <input id="cost-from" type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
        </div>
        <div className="automation-field">
          <label htmlFor="cost-until">{t("broadcasts.costs.until")}</label>
          <input id="cost-until" type="date" value={untilDay} onChange={(e) => setUntilDay(e.target.value)} />
        </div>
      </div>
      {!period && <p className="automation-problem">{t("broadcasts.costs.badPeriod")}</p>}
      {error && (
        <p id="cost-report-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {report && (
        <>
          {!report.rate_card && <p className="admin-note broadcast-caution">{t("broadcasts.cost.noRateCardSpend")}</p>}
          <dl className="kpi-tiles">
            <div className="kpi-tile">
              <dt>{t("broadcasts.costs.total")}</dt>
              <dd id="cost-report-total">{formatTotals(report.totals)}</dd>
            </div>
            <div className="kpi-tile">
              <dt>{t("broadcasts.costs.messages")}</dt>
              <dd>{formatCount(report.messages)}</dd>
            </div>
            <div className="kpi-tile">
              <dt>{t("broadcasts.cost.billable")}</dt>
              <dd>{formatCount(report.billable)}</dd>
            </div>
            <div className="kpi-tile">
              <dt>{t("broadcasts.costs.unpriced")}</dt>
              <dd>{formatCount(report.unpriced)}</dd>
            </div>
          </dl>
          {report.lines.length > 0 && (
            <BarChart
              className="broadcast-chart"
              title={t("broadcasts.costs.chart")}
              summary={t("broadcasts.costs.chartSummary", { count: report.billable, shown: formatCount(report.billable) })}
              points={report.lines.map((l) => ({ label: groupLabel(grouping, l.key, l.label), value: l.billable }))}
              format={formatCount}
            />
          )}
          <table id="cost-report-lines" className="board-table">
            <caption className="visually-hidden">{t("broadcasts.costs.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(GROUPINGS.find((g) => g.id === grouping)!.label)}</th>
                <th scope="col" className="numeric">
                  {t("broadcasts.costs.messages")}
                </th>
                <th scope="col" className="numeric">
                  {t("broadcasts.cost.billable")}
                </th>
                <th scope="col" className="numeric">
                  {t("broadcasts.costs.unpriced")}
                </th>
                <th scope="col" className="numeric">
                  {t("broadcasts.cost.total")}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.lines.length === 0 ? (
                <tr>
                  <td colSpan={5}>{t("broadcasts.costs.none")}</td>
                </tr>
              ) : (
                report.lines.map((l) => (
                  <tr key={`${l.key}-${l.currency ?? ""}`} className="cost-line" data-key={l.key}>
                    <th scope="row" dir="auto">
                      {groupLabel(grouping, l.key, l.label)}
                    </th>
                    <td className="numeric">{formatCount(l.messages)}</td>
                    <td className="numeric">{formatCount(l.billable)}</td>
                    <td className="numeric">{formatCount(l.unpriced)}</td>
                    <td className="numeric">{l.currency ? formatMoney(l.amount_micros, l.currency) : "–"}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {report.undelivered > 0 && <p className="admin-note">{t("broadcasts.costs.undelivered", { count: report.undelivered })}</p>}
        </>
      )}
    </section>
  );
}
