/**
 * The days a report covers. Presets are counted in calendar days of the reader's time zone
 * (so "today" is their today, also just after midnight or on a day the clocks change); the
 * server is sent the days and the zone, and counts them the same way. Pure, so the day
 * arithmetic is testable in any zone.
 */
import { localInZone } from "../automation/calendarModel";

export type PeriodPreset = "today" | "last_7_days" | "last_30_days" | "this_month" | "custom";

export const PERIOD_PRESETS: readonly PeriodPreset[] = ["today", "last_7_days", "last_30_days", "this_month", "custom"];

/** The longest period the server reports on, in days (`MAX_REPORT_DAYS`). */
export const MAX_REPORT_DAYS = 366;

/** First and last day, both included, as `YYYY-MM-DD`. */
export type Days = { fromDay: string; toDay: string };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utcOf(day: string): number | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // 2026-02-30 is not a day, though Date would roll it over into March.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : null;
}

/** `YYYY-MM-DD`, `days` calendar days after `day` (no clock involved, so no DST drift). */
export function addDays(day: string, days: number): string | null {
  const ms = utcOf(day);
  return ms === null ? null : new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day in `zone` at the instant `now`, as `YYYY-MM-DD`. */
export function dayInZone(now: number, zone: string): string {
  return localInZone(now, zone).slice(0, 10);
}

/** The first and last day a preset covers at `now` in `zone`. */
export function presetDays(preset: Exclude<PeriodPreset, "custom">, now: number, zone: string): Days {
  const today = dayInZone(now, zone);
  switch (preset) {
    case "today":
      return { fromDay: today, toDay: today };
    case "last_7_days":
      return { fromDay: addDays(today, -6)!, toDay: today };
    case "last_30_days":
      return { fromDay: addDays(today, -29)!, toDay: today };
    case "this_month":
      return { fromDay: `${today.slice(0, 8)}01`, toDay: today };
  }
}

export type PeriodProblem = "reports.problem.days" | "reports.problem.order" | "reports.problem.tooLong";

/** Why custom days cannot be asked for, as a string key; null when they can. */
export function daysProblem({ fromDay, toDay }: Days): PeriodProblem | null {
  const from = utcOf(fromDay);
  const to = utcOf(toDay);
  if (from === null || to === null) return "reports.problem.days";
  if (to < from) return "reports.problem.order";
  if ((to - from) / DAY_MS + 1 > MAX_REPORT_DAYS) return "reports.problem.tooLong";
  return null;
}

/** The days a choice names: a preset's at `now` in `zone`, or the custom days as typed. */
export function daysFor(preset: PeriodPreset, custom: Days, now: number, zone: string): Days {
  return preset === "custom" ? custom : presetDays(preset, now, zone);
}
