import { intlLocale } from "../i18n";

// Formatters are costly to build and the inbox renders many timestamps, so they are built once
// per language. The tag comes from the UI language (Gregorian calendar in every language; see
// i18n/index.ts), with English following the system's region.
type Formatters = { timeOfDay: Intl.DateTimeFormat; dayThisYear: Intl.DateTimeFormat; dayOtherYear: Intl.DateTimeFormat; full: Intl.DateTimeFormat };
const cache = new Map<string, Formatters>();

function formatters(): Formatters {
  const tag = intlLocale();
  let found = cache.get(tag);
  if (!found) {
    found = {
      timeOfDay: new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit" }),
      dayThisYear: new Intl.DateTimeFormat(tag, { day: "numeric", month: "short" }),
      dayOtherYear: new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric" }),
      full: new Intl.DateTimeFormat(tag, { dateStyle: "full", timeStyle: "short" }),
    };
    cache.set(tag, found);
  }
  return found;
}

/** HH:MM for today (local time), otherwise a short date. `ms` is unix milliseconds. */
export function formatTimestamp(ms: number, now: number = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now);
  const f = formatters();
  if (date.toDateString() === today.toDateString()) return f.timeOfDay.format(date);
  if (date.getFullYear() === today.getFullYear()) return f.dayThisYear.format(date);
  return f.dayOtherYear.format(date);
}

/** Unabridged form for tooltips, so the short form never hides the day. */
export function formatFullTimestamp(ms: number): string {
  return formatters().full.format(new Date(ms));
}
