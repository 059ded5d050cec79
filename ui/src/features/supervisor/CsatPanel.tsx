import { useEffect, useState } from "react";
import type { CsatFigures } from "../../bindings/CsatFigures";
import type { CsatReport } from "../../bindings/CsatReport";
import { intlLocale, t, useLocale } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { BarChart } from "./BarChart";
import "./csat.css";

/** The periods a supervisor can pick, in days. */
export const CSAT_PERIODS = [7, 30, 90] as const;
const DAY_MS = 86_400_000;

/** A mean or standard deviation with one decimal in the reader's digits; a dash without answers. */
export function figure(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  return new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

const scores = [1, 2, 3, 4, 5] as const;

/** How many answers gave each score, as five small bars; the counts are read aloud. */
export function Distribution({ figures }: { figures: CsatFigures }) {
  const counts = scores.map((_, i) => figures.distribution[i] ?? 0);
  const max = Math.max(1, ...counts);
  const spoken = scores.map((s, i) => t("csat.scoreCount", { score: s, count: counts[i]! })).join(", ");
  return (
    <span className="csat-distribution" role="img" aria-label={spoken}>
      {counts.map((count, i) => (
        <span key={scores[i]} className="csat-bar" data-score={scores[i]} data-count={count} style={{ blockSize: `${(count / max) * 100}%` }} />
      ))}
    </span>
  );
}

function FiguresRow({ name, figures, kind }: { name: string; figures: CsatFigures; kind: "agent" | "team" }) {
  return (
    <tr className={`csat-${kind}`}>
      <th scope="row" dir="auto">
        {name}
      </th>
      <td className="numeric">{figures.count}</td>
      <td className="numeric">{figure(figures.mean)}</td>
      <td className="numeric">{figure(figures.std_dev)}</td>
      <td>
        <Distribution figures={figures} />
      </td>
    </tr>
  );
}

function FiguresTable({ id, caption, rows, kind }: { id: string; caption: string; rows: { key: string; name: string; figures: CsatFigures }[]; kind: "agent" | "team" }) {
  return (
    <table id={id} className="board-table csat-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(kind === "agent" ? "csat.agent" : "csat.team")}</th>
          <th scope="col" className="numeric">
            {t("csat.count")}
          </th>
          <th scope="col" className="numeric">
            {t("csat.mean")}
          </th>
          <th scope="col" className="numeric">
            {t("csat.stdDev")}
          </th>
          <th scope="col">{t("csat.distribution")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={5}>{t("csat.none")}</td>
          </tr>
        ) : (
          rows.map((r) => <FiguresRow key={r.key} name={r.name} figures={r.figures} kind={kind} />)
        )}
      </tbody>
    </table>
  );
}

/**
 * Customer satisfaction for report viewers: surveys answered in the last week, month or
 * quarter, overall and per agent and team (count, mean, standard deviation, how many gave
 * each score), counting only the conversations the viewer may read.
 */
export function CsatPanel() {
  useLocale();
  const [days, setDays] = useState<number>(30);
  const [report, setReport] = useState<CsatReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    // The server counts 30 days back from now by default; other periods say where they start.
    const from = days === 30 ? null : Date.now() - days * DAY_MS;
    call("csat_report", { from, to: null, number: null }).then(
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
  }, [days]);

  const overall = report?.overall;
  return (
    <section id="csat-panel" className="board-section kpi-panel" aria-labelledby="csat-title">
      <div className="kpi-head">
        <h2 id="csat-title" className="board-title">
          {t("csat.title")}
        </h2>
        <label className="kpi-stretch">
          {t("kpi.stretch")}
          <select id="csat-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {CSAT_PERIODS.map((d) => (
              <option key={d} value={d}>
                {t("csat.lastDays", { count: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p id="csat-error" className="load-error" dir="auto">
          {error}
        </p>
      )}
      {report && overall ? (
        <div className="kpi-body">
          <dl className="kpi-tiles">
            {(
              [
                ["answers", t("csat.answers"), String(overall.count)],
                ["mean", t("csat.mean"), figure(overall.mean)],
                ["std_dev", t("csat.stdDev"), figure(overall.std_dev)],
                ["sent", t("csat.sent"), String(report.sent)],
                ["skipped", t("csat.skipped"), String(report.skipped_window_closed)],
              ] as const
            ).map(([key, name, value]) => (
              <div key={key} className="kpi-tile" data-csat={key}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <BarChart
            className="csat-chart"
            title={t("csat.distribution")}
            summary={t("csat.answersSummary", { count: overall.count })}
            points={scores.map((s, i) => ({ label: t("csat.score", { score: s }), value: overall.distribution[i] ?? 0 }))}
          />
          <FiguresTable
            id="csat-agents"
            caption={t("csat.byAgent")}
            kind="agent"
            rows={report.agents.map((a) => ({ key: String(a.user_id ?? "none"), name: a.name, figures: a.figures }))}
          />
          <FiguresTable
            id="csat-teams"
            caption={t("csat.byTeam")}
            kind="team"
            rows={report.teams.map((tm) => ({ key: String(tm.team_id ?? "none"), name: tm.name, figures: tm.figures }))}
          />
        </div>
      ) : (
        !error && <p className="board-empty">{t("kpi.loading")}</p>
      )}
    </section>
  );
}
