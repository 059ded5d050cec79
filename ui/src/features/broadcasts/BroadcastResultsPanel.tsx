import { useEffect, useState } from "react";
import type { BroadcastResults } from "../../bindings/BroadcastResults";
import type { BroadcastState } from "../../bindings/BroadcastState";
import { t, useLocale } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { BarChart } from "../supervisor/BarChart";
import { formatCount, formatRate, isLive } from "./broadcastModel";
import { ExclusionList } from "./BroadcastPreviewPanel";
import { SpendTable } from "./CostTables";
import { RecipientsTable } from "./RecipientsTable";

/** How often results are read again while a broadcast is scheduled or sending. */
export const RESULTS_POLL_MS = 3_000;

type Props = {
  broadcastId: number;
  /** The state the list knows; polling stops once results say it is no longer moving. */
  state: BroadcastState;
  /** Results were read again: the broadcast's own figures (progress, state) may have moved. */
  onRead: () => void;
};

/** The five outcomes in the order a message goes through them, with the rate each stands for. */
export function outcomes(r: BroadcastResults): { key: string; label: string; count: number; rate: number | null }[] {
  return [
    { key: "sent", label: t("broadcasts.results.sent"), count: r.sent, rate: null },
    { key: "delivered", label: t("broadcasts.results.delivered"), count: r.delivered, rate: r.delivered_rate },
    { key: "read", label: t("broadcasts.results.read"), count: r.read, rate: r.read_rate },
    { key: "replied", label: t("broadcasts.results.replied"), count: r.replied, rate: r.replied_rate },
    { key: "failed", label: t("broadcasts.results.failed"), count: r.failed, rate: null },
  ];
}

/**
 * How a broadcast went: sent, delivered, read, replied and failed with their rates (a bar
 * chart and tiles), failures by reason, exclusions, what it cost, and every recipient. Read
 * again every few seconds while it is scheduled or sending.
 */
export function BroadcastResultsPanel({ broadcastId, state, onRead }: Props) {
  useLocale();
  const [results, setResults] = useState<BroadcastResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const live = isLive(results?.state ?? state);

  useEffect(() => {
    let current = true;
    call("broadcast_results", { id: broadcastId }).then(
      (answer) => {
        if (!current) return;
        setResults(answer);
        setError(null);
        if (isLive(state) || answer.state !== state) onRead();
      },
      (err: unknown) => current && setError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
    // `state` and `onRead` only tell the list; reading again is `round`'s job.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [broadcastId, round]);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setRound((r) => r + 1), RESULTS_POLL_MS);
    return () => clearInterval(timer);
  }, [live]);

  return (
    <section id="broadcast-results" className="broadcast-results" aria-labelledby="broadcast-results-title" data-live={live}>
      <h3 id="broadcast-results-title" className="admin-subtitle">
        {t("broadcasts.results")}
      </h3>
      {live && <p className="admin-note">{t("broadcasts.results.live")}</p>}
      {error && (
        <p id="broadcast-results-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {results && (
        <>
          <dl className="kpi-tiles">
            {outcomes(results).map((o) => (
              <div key={o.key} className="kpi-tile" data-outcome={o.key}>
                <dt>{o.label}</dt>
                <dd>
                  {formatCount(o.count)}
                  {o.rate !== null && <span className="broadcast-rate">{` (${formatRate(o.rate)})`}</span>}
                </dd>
              </div>
            ))}
          </dl>
          <BarChart
            className="broadcast-chart"
            title={t("broadcasts.results.chart")}
            summary={t("broadcasts.results.summary", {
              sent: formatCount(results.sent),
              delivered: formatRate(results.delivered_rate),
              read: formatRate(results.read_rate),
              replied: formatRate(results.replied_rate),
            })}
            points={outcomes(results).map((o) => ({ label: o.label, value: o.count }))}
            format={formatCount}
          />
          <h4 className="broadcast-minor-title">{t("broadcasts.results.failures")}</h4>
          {results.failures.length === 0 ? (
            <p className="admin-note">{t("broadcasts.results.noFailures")}</p>
          ) : (
            <ul id="broadcast-failures" className="broadcast-exclusions">
              {results.failures.map((f) => (
                <li key={f.reason} className="broadcast-failure" data-count={f.count} dir="auto">
                  {t("broadcasts.exclusion", { reason: f.reason, count: f.count, shown: formatCount(f.count) })}
                </li>
              ))}
            </ul>
          )}
          <h4 className="broadcast-minor-title">{t("broadcasts.exclusions")}</h4>
          <ExclusionList exclusions={results.exclusions} />
          <SpendTable spend={results.cost} />
        </>
      )}
      <RecipientsTable broadcastId={broadcastId} refresh={round} />
    </section>
  );
}
