import { useEffect, useState } from "react";
import type { Report } from "../../bindings/Report";
import type { ReportQuery } from "../../bindings/ReportQuery";
import type { ReportRow } from "../../bindings/ReportRow";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t, useLocale } from "../../i18n";
import { call } from "../../ipc";
import { localZone } from "../broadcasts/broadcastModel";
import { useNow } from "../supervisor/useNow";
import { HourHeatmap } from "./HourHeatmap";
import { ReportCharts } from "./ReportCharts";
import { ReportControls, type Choice, type ReportForm } from "./ReportControls";
import { ReportTable } from "./ReportTable";
import { ReportTotals } from "./ReportTotals";
import { SaveReportCsv } from "./SaveReportCsv";
import { daysFor, daysProblem, presetDays } from "./periodModel";
import { formatDay, isEmpty } from "./reportModel";
import { useReport } from "./useReport";
import "../supervisor/kpis.css";
import "./reports.css";

/** The query for the form, or null while its custom days cannot be asked for. */
export function reportQuery(form: ReportForm, now: number, zone: string): ReportQuery | null {
  const days = daysFor(form.preset, form.custom, now, zone);
  if (daysProblem(days)) return null;
  const id = (value: string) => (value === "" || !Number.isFinite(Number(value)) ? undefined : Number(value));
  const query: ReportQuery = { from: days.fromDay, to: days.toDay, tz: zone, group_by: form.groupBy };
  if (form.number) query.number = form.number;
  if (id(form.team) !== undefined) query.team = id(form.team);
  if (id(form.agent) !== undefined) query.agent = id(form.agent);
  return query;
}

/** Choices from a list the desk could fetch, plus groups seen in reports (the number filter
 * also works for report viewers who may not list numbers). */
function merged(listed: Choice[], seen: Choice[]): Choice[] {
  const byValue = new Map<string, Choice>();
  for (const c of [...seen, ...listed]) byValue.set(c.value, c);
  return [...byValue.values()].sort((a, b) => a.label.localeCompare(b.label));
}

function seenChoices(rows: ReportRow[]): Choice[] {
  return rows.filter((r) => r.key !== "none").map((r) => ({ value: r.key, label: r.label || r.key }));
}

/**
 * Reports for report viewers: a period's figures per number, team, agent, country or region,
 * as cards, a table, a bar chart per figure and an hour-of-week heatmap, saved as CSV on
 * request. Days are the reader's own (their time zone), as the server is told.
 */
export function ReportsView() {
  useLocale();
  const zone = localZone();
  const [form, setForm] = useState<ReportForm>(() => ({
    preset: "last_7_days",
    custom: presetDays("last_7_days", Date.now(), zone),
    groupBy: "number",
    number: "",
    team: "",
    agent: "",
  }));
  const [numbers, setNumbers] = useState<Choice[]>([]);
  const [teams, setTeams] = useState<Choice[]>([]);
  const [agents, setAgents] = useState<Choice[]>([]);
  const [seen, setSeen] = useState<Record<"number" | "team" | "agent", Choice[]>>({ number: [], team: [], agent: [] });

  useEffect(() => {
    let live = true;
    // The lists only fill the filters; without them the filters offer the groups seen so far.
    call("business_numbers", null).then(
      (list) => live && setNumbers(list.map((n) => ({ value: n.phone_number_id, label: `${n.name} (${n.display_number})` }))),
      () => {},
    );
    call("transfer_targets", null).then(
      (targets) => {
        if (!live) return;
        setTeams(targets.teams.map((tm) => ({ value: String(tm.id), label: tm.name })));
        setAgents(targets.agents.map((a) => ({ value: String(a.id), label: a.display_name })));
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);

  // Re-read each minute, so a preset moves on to the new day at midnight.
  const now = useNow(60_000);
  const days = daysFor(form.preset, form.custom, now, zone);
  const problem = form.preset === "custom" ? daysProblem(days) : null;
  const query = reportQuery(form, now, zone);
  const { report, error, loading, retry } = useReport(query);

  // Each new report adds the groups it names to the filters' choices.
  const [seenIn, setSeenIn] = useState<Report | null>(null);
  if (report && report !== seenIn) {
    setSeenIn(report);
    const g = report.group_by;
    if (g === "number" || g === "team" || g === "agent") setSeen((s) => ({ ...s, [g]: merged(s[g], seenChoices(report.rows)) }));
  }

  return (
    <main id="reports-view" className="supervisor-view reports-view" aria-labelledby="reports-title" aria-busy={loading}>
      <section className="board-section kpi-panel report-panel">
        <div className="kpi-head">
          <h2 id="reports-title" className="board-title">
            {t("reports.title")}
          </h2>
          <SaveReportCsv query={query} />
        </div>
        <ReportControls
          form={form}
          days={days}
          numbers={merged(numbers, seen.number)}
          teams={merged(teams, seen.team)}
          agents={merged(agents, seen.agent)}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
        />
        {problem && (
          <p id="report-problem" className="form-error report-line" role="alert">
            {t(problem)}
          </p>
        )}
        {error && (
          <div id="report-error" className="report-line" role="alert">
            <p className="load-error" dir="auto">
              {t("reports.failed", { message: error })}
            </p>
            <Button id="report-retry" variant="secondary" onClick={retry}>
              {t("reports.retry")}
            </Button>
          </div>
        )}
        {loading && (
          <p id="report-loading" className="board-empty report-line" role="status">
            {t("reports.loading")}
          </p>
        )}
        {report && (
          <div className="kpi-body">
            <p className="board-updated">
              {t("reports.covers", { from: formatDay(report.from), to: formatDay(report.to), zone: report.tz })} · {t("supervisor.updated")} <Timestamp ms={report.generated_at} />
            </p>
            <ReportTotals figures={report.totals} />
            {isEmpty(report.totals) ? (
              <p id="report-empty" className="board-empty" role="status">
                {t("reports.empty")}
              </p>
            ) : (
              <>
                <ReportTable grouping={report.group_by} rows={report.rows} />
                <ReportCharts grouping={report.group_by} rows={report.rows} />
                <HourHeatmap days={report.heatmap} zone={report.tz} />
              </>
            )}
          </div>
        )}
      </section>
    </main>
  );
}
