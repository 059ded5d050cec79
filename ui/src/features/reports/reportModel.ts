/**
 * What the Reports screen shows of a report: the figures it compares across groups, how each
 * is written (counts, durations, rates, scores in the reader's digits), and groups' names.
 */
import type { ReportCsat } from "../../bindings/ReportCsat";
import type { ReportFigures } from "../../bindings/ReportFigures";
import type { ReportGrouping } from "../../bindings/ReportGrouping";
import type { ReportRow } from "../../bindings/ReportRow";
import { intlLocale, t, type StringKey } from "../../i18n";
import { countryName } from "../broadcasts/CostTables";
import { formatDuration } from "../supervisor/formatDuration";

export const GROUPINGS: readonly { id: ReportGrouping; label: StringKey }[] = [
  { id: "number", label: "reports.group.number" },
  { id: "team", label: "reports.group.team" },
  { id: "agent", label: "reports.group.agent" },
  { id: "country", label: "reports.group.country" },
  { id: "region", label: "reports.group.region" },
];

export type FigureKind = "count" | "duration" | "rate" | "score";

/** A figure compared across groups: a table column and a bar chart. */
export type Figure = { id: string; label: StringKey; kind: FigureKind; value: (f: ReportFigures) => number | null };

export const FIGURES: readonly Figure[] = [
  { id: "conversations", label: "reports.figure.conversations", kind: "count", value: (f) => f.conversations },
  { id: "inbound", label: "reports.figure.inbound", kind: "count", value: (f) => f.messages.inbound },
  { id: "first_response_median", label: "reports.figure.firstResponseMedian", kind: "duration", value: (f) => f.first_response.median_seconds },
  { id: "first_response_p90", label: "reports.figure.firstResponseP90", kind: "duration", value: (f) => f.first_response.p90_seconds },
  { id: "resolution_median", label: "reports.figure.resolutionMedian", kind: "duration", value: (f) => f.resolution.median_seconds },
  { id: "resolution_p90", label: "reports.figure.resolutionP90", kind: "duration", value: (f) => f.resolution.p90_seconds },
  { id: "deflection", label: "reports.figure.deflection", kind: "rate", value: (f) => f.deflection_rate },
  { id: "csat", label: "reports.figure.csatMean", kind: "score", value: (f) => f.csat.mean },
  { id: "filter_blocks", label: "reports.figure.filterBlocks", kind: "count", value: (f) => f.filter_blocks },
  { id: "broadcast_delivered", label: "reports.figure.broadcastDelivered", kind: "count", value: (f) => f.broadcasts.delivered },
  { id: "online", label: "reports.figure.online", kind: "duration", value: (f) => f.online_seconds },
  { id: "away", label: "reports.figure.away", kind: "duration", value: (f) => f.away_seconds },
];

const NONE = "–";

const counters = new Map<string, Intl.NumberFormat>();

/** A whole number in the reader's digits and grouping ("12,345"). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return NONE;
  const tag = intlLocale();
  let counter = counters.get(tag);
  if (!counter) {
    counter = new Intl.NumberFormat(tag);
    counters.set(tag, counter);
  }
  return counter.format(n);
}

/** A fraction (0 to 1) as a percentage with at most one decimal; a dash without one. */
export function formatRate(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return NONE;
  return new Intl.NumberFormat(intlLocale(), { style: "percent", maximumFractionDigits: 1 }).format(fraction);
}

/** A mean score or deviation with one decimal; a dash without answers. */
export function formatScore(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NONE;
  return new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

export function formatFigure(kind: FigureKind, value: number | null): string {
  switch (kind) {
    case "count":
      return value === null ? NONE : formatCount(value);
    case "duration":
      return formatDuration(value);
    case "rate":
      return formatRate(value);
    case "score":
      return formatScore(value);
  }
}

/** Satisfaction as "4.2 ± 0.8"; a dash alone without answers. */
export function formatCsat(csat: ReportCsat): string {
  if (csat.responses === 0 || csat.mean === null) return NONE;
  return csat.std_dev === null ? formatScore(csat.mean) : `${formatScore(csat.mean)} ± ${formatScore(csat.std_dev)}`;
}

const REGIONS: Record<string, StringKey> = {
  gcc: "reports.region.gcc",
  mena: "reports.region.mena",
  asean: "reports.region.asean",
  eu: "reports.region.eu",
  north_america: "reports.region.northAmerica",
  latam: "reports.region.latam",
  other: "reports.region.other",
};

/**
 * A group's name on screen: countries and regions named in the reader's language, the shared
 * rows of conversations without a team or agent said so, everything else as the server
 * labelled it (a number's or team's name, an agent's display name).
 */
export function groupName(grouping: ReportGrouping, row: Pick<ReportRow, "key" | "label">): string {
  if (grouping === "country") return countryName(row.key);
  if (grouping === "region") return REGIONS[row.key] ? t(REGIONS[row.key]!) : row.label;
  if (row.key === "none") return t(grouping === "agent" ? "reports.group.noAgent" : "reports.group.noTeam");
  return row.label || row.key;
}

/** Whether the period had anything to report on. */
export function isEmpty(figures: ReportFigures): boolean {
  const m = figures.messages;
  return figures.conversations === 0 && m.inbound + m.outbound + m.automatic + m.broadcast === 0;
}

/** Chart points for a figure: only groups that have a value (a median needs a measurement). */
export function chartPoints(figure: Figure, grouping: ReportGrouping, rows: readonly ReportRow[]): { label: string; value: number }[] {
  return rows.flatMap((row) => {
    const value = figure.value(row.figures);
    return value === null || !Number.isFinite(value) ? [] : [{ label: groupName(grouping, row), value }];
  });
}

/** A `YYYY-MM-DD` day as the reader writes dates ("22 Nov 2026"); the text itself if unreadable. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(ms));
}
