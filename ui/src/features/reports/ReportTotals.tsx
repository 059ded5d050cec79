import type { ReportFigures } from "../../bindings/ReportFigures";
import { t } from "../../i18n";
import { formatDuration } from "../supervisor/formatDuration";
import { formatCount, formatCsat, formatRate } from "./reportModel";

type Tile = { id: string; label: string; value: string; detail?: string };

function tiles(f: ReportFigures): Tile[] {
  const m = f.messages;
  const b = f.broadcasts;
  return [
    { id: "conversations", label: t("reports.figure.conversations"), value: formatCount(f.conversations), detail: t("reports.detail.new", { count: formatCount(f.new_conversations) }) },
    {
      id: "messages",
      label: t("reports.figure.inbound"),
      value: formatCount(m.inbound),
      detail: t("reports.detail.messages", { outbound: formatCount(m.outbound), automatic: formatCount(m.automatic), broadcast: formatCount(m.broadcast) }),
    },
    { id: "resolved", label: t("reports.figure.resolved"), value: formatCount(f.resolved) },
    { id: "first_response_median", label: t("reports.figure.firstResponseMedian"), value: formatDuration(f.first_response.median_seconds), detail: t("reports.detail.waits", { count: formatCount(f.first_response.count) }) },
    { id: "first_response_p90", label: t("reports.figure.firstResponseP90"), value: formatDuration(f.first_response.p90_seconds) },
    { id: "resolution_median", label: t("reports.figure.resolutionMedian"), value: formatDuration(f.resolution.median_seconds), detail: t("reports.detail.resolutions", { count: formatCount(f.resolution.count) }) },
    { id: "resolution_p90", label: t("reports.figure.resolutionP90"), value: formatDuration(f.resolution.p90_seconds) },
    { id: "deflection", label: t("reports.figure.deflection"), value: formatRate(f.deflection_rate), detail: t("reports.detail.deflected", { deflected: formatCount(f.deflected), resolved: formatCount(f.resolved) }) },
    { id: "csat", label: t("reports.figure.csat"), value: formatCsat(f.csat), detail: t("reports.detail.answers", { count: formatCount(f.csat.responses) }) },
    { id: "filter_blocks", label: t("reports.figure.filterBlocks"), value: formatCount(f.filter_blocks) },
    {
      id: "broadcasts",
      label: t("reports.figure.broadcastDelivered"),
      value: formatCount(b.delivered),
      detail: t("reports.detail.broadcasts", { sent: formatCount(b.sent), read: formatCount(b.read), replied: formatCount(b.replied), failed: formatCount(b.failed) }),
    },
    { id: "online", label: t("reports.figure.online"), value: formatDuration(f.online_seconds) },
    { id: "away", label: t("reports.figure.away"), value: formatDuration(f.away_seconds) },
  ];
}

/** The whole period's figures as cards. */
export function ReportTotals({ figures }: { figures: ReportFigures }) {
  return (
    <dl id="report-totals" className="kpi-tiles report-tiles" aria-label={t("reports.totals")}>
      {tiles(figures).map((tile) => (
        <div key={tile.id} className="kpi-tile report-tile" data-figure={tile.id}>
          <dt>{tile.label}</dt>
          <dd className="report-tile-value">{tile.value}</dd>
          {tile.detail && <dd className="report-tile-detail">{tile.detail}</dd>}
        </div>
      ))}
    </dl>
  );
}
