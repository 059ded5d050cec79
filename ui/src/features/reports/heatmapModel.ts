/**
 * The hour-of-week heatmap: the server's `heatmap[day][hour]` (day 0 Monday) reordered so the
 * week starts on the reader's first day, each cell given a shade level for the colour scale.
 * Pure, so the bucketing and the week's order are testable.
 */

/** ISO weekdays: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Shades of the colour scale; 0 is an hour without any message. */
export const HEAT_LEVELS = 5;

export type HeatCell = { hour: number; count: number; level: number };
export type HeatRow = { weekday: IsoWeekday; cells: HeatCell[] };
export type Heatmap = { rows: HeatRow[]; max: number; total: number };

// Where Intl.Locale cannot say (older engines), the first day by language: Arabic-speaking
// countries mostly start on Saturday, Thailand and the United States on Sunday.
const FIRST_DAY_BY_LANGUAGE: Record<string, IsoWeekday> = { ar: 6, th: 7, en: 7 };

type WeekInfo = { firstDay?: number };
type LocaleWithWeek = Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };

/** The day a week starts on where `tag` is spoken (en-GB Monday, en-US Sunday, ar Saturday). */
export function firstDayOfWeek(tag: string): IsoWeekday {
  try {
    const locale = new Intl.Locale(tag) as LocaleWithWeek;
    const info = locale.getWeekInfo?.() ?? locale.weekInfo;
    const day = info?.firstDay;
    if (day !== undefined && day >= 1 && day <= 7) return day as IsoWeekday;
    return FIRST_DAY_BY_LANGUAGE[locale.language] ?? 1;
  } catch {
    return 1;
  }
}

/** The seven weekdays in the order a week starting on `first` lists them. */
export function weekOrder(first: IsoWeekday): IsoWeekday[] {
  return Array.from({ length: 7 }, (_, i) => (((first - 1 + i) % 7) + 1) as IsoWeekday);
}

/**
 * A count's shade: 0 only for none, else 1 to HEAT_LEVELS - 1 by its share of the busiest
 * hour, so the busiest hour always has the darkest shade and a single message is never blank.
 */
export function heatLevel(count: number, max: number): number {
  if (!(count > 0) || !(max > 0)) return 0;
  const top = HEAT_LEVELS - 1;
  return Math.min(top, Math.max(1, Math.ceil((count / max) * top)));
}

/**
 * The grid to draw: seven rows starting on `first`, 24 hours each. Missing days or hours
 * (an older server, a short answer) count as none; negative or odd values as none too.
 */
export function heatmap(days: readonly (readonly number[])[], first: IsoWeekday): Heatmap {
  const count = (weekday: IsoWeekday, hour: number) => {
    const value = days[weekday - 1]?.[hour];
    return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
  };
  let max = 0;
  let total = 0;
  for (let day = 1; day <= 7; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const c = count(day as IsoWeekday, hour);
      max = Math.max(max, c);
      total += c;
    }
  }
  const rows = weekOrder(first).map((weekday) => ({
    weekday,
    cells: Array.from({ length: 24 }, (_, hour) => {
      const c = count(weekday, hour);
      return { hour, count: c, level: heatLevel(c, max) };
    }),
  }));
  return { rows, max, total };
}

// 2024-01-01 was a Monday: ISO weekday n falls on 2024-01-0n.
const MONDAY_UTC = Date.UTC(2024, 0, 1);

// Formatters are slow to make and the grid names 168 cells: one per language and kind.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tag: string, kind: "long" | "short" | "hour"): Intl.DateTimeFormat {
  const key = `${tag}|${kind}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, kind === "hour" ? { hour: "numeric", minute: "2-digit", timeZone: "UTC" } : { weekday: kind, timeZone: "UTC" });
    formatters.set(key, format);
  }
  return format;
}

/** A weekday's name in `tag`, long ("Saturday", "السبت") or short. */
export function weekdayName(weekday: IsoWeekday, tag: string, width: "long" | "short" = "long"): string {
  return formatter(tag, width).format(new Date(MONDAY_UTC + (weekday - 1) * 86_400_000));
}

/** An hour of the day as the reader writes it ("14:00", "2 PM"). */
export function hourName(hour: number, tag: string): string {
  return formatter(tag, "hour").format(new Date(MONDAY_UTC + hour * 3_600_000));
}
