import type { Report } from "../../bindings/Report";
import type { ReportFigures } from "../../bindings/ReportFigures";
import type { ReportRow } from "../../bindings/ReportRow";

/** Figures of nothing, with `overrides` on top. */
export function figures(overrides: Partial<ReportFigures> = {}): ReportFigures {
  return {
    conversations: 0,
    new_conversations: 0,
    resolved: 0,
    messages: { inbound: 0, outbound: 0, automatic: 0, broadcast: 0 },
    first_response: { count: 0, median_seconds: null, p90_seconds: null },
    resolution: { count: 0, median_seconds: null, p90_seconds: null },
    deflected: 0,
    deflection_rate: null,
    csat: { responses: 0, mean: null, std_dev: null },
    filter_blocks: 0,
    broadcasts: { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 },
    online_seconds: 0,
    away_seconds: 0,
    ...overrides,
  };
}

export function row(key: string, label: string, f: ReportFigures): ReportRow {
  return { key, label, figures: f };
}

/** An empty week but for the given `[day, hour, count]`s (day 0 Monday). */
export function heatmapOf(cells: [number, number, number][]): number[][] {
  const days = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const [day, hour, count] of cells) days[day]![hour] = count;
  return days;
}

const support = figures({
  conversations: 30,
  new_conversations: 12,
  resolved: 20,
  messages: { inbound: 140, outbound: 90, automatic: 15, broadcast: 40 },
  first_response: { count: 28, median_seconds: 80, p90_seconds: 3900 },
  resolution: { count: 20, median_seconds: 5400, p90_seconds: 86_400 },
  deflected: 5,
  deflection_rate: 0.25,
  csat: { responses: 9, mean: 4.2, std_dev: 0.6 },
  filter_blocks: 2,
  broadcasts: { sent: 40, delivered: 38, read: 30, replied: 6, failed: 2 },
  online_seconds: 28_800,
  away_seconds: 1_800,
});

const sales = figures({
  conversations: 10,
  new_conversations: 4,
  resolved: 4,
  messages: { inbound: 35, outbound: 20, automatic: 0, broadcast: 0 },
  first_response: { count: 9, median_seconds: 300, p90_seconds: 900 },
  resolution: { count: 4, median_seconds: 7200, p90_seconds: 10_800 },
  csat: { responses: 0, mean: null, std_dev: null },
});

/** A week's report by business number: two numbers, a heatmap with a busy Monday morning. */
export function report(overrides: Partial<Report> = {}): Report {
  return {
    from: "2026-11-16",
    to: "2026-11-22",
    tz: "Asia/Riyadh",
    group_by: "number",
    start: Date.UTC(2026, 10, 15, 21),
    end: Date.UTC(2026, 10, 22, 21),
    generated_at: Date.UTC(2026, 10, 22, 12),
    totals: figures({
      ...support,
      conversations: 40,
      new_conversations: 16,
      resolved: 24,
      messages: { inbound: 175, outbound: 110, automatic: 15, broadcast: 40 },
      first_response: { count: 37, median_seconds: 95, p90_seconds: 3600 },
      resolution: { count: 24, median_seconds: 6000, p90_seconds: 86_400 },
      deflected: 5,
      deflection_rate: 5 / 24,
    }),
    rows: [row("1002", "Acme Sales", sales), row("1001", "Acme Support", support)],
    heatmap: heatmapOf([
      [0, 9, 12],
      [0, 10, 3],
      [5, 20, 1],
    ]),
    ...overrides,
  };
}
