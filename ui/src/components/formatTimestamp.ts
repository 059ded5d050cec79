// Formatters are costly to build and the inbox renders many timestamps, so
// they are created once. `undefined` locale = the agent's OS preference.
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayThisYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const dayOtherYear = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
});

/** HH:MM for today (local time), otherwise a short date. `ms` is unix milliseconds. */
export function formatTimestamp(ms: number, now: number = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return timeOfDay.format(date);
  if (date.getFullYear() === today.getFullYear()) return dayThisYear.format(date);
  return dayOtherYear.format(date);
}

const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

/** Unabridged form for tooltips, so the short form never hides the day. */
export function formatFullTimestamp(ms: number): string {
  return full.format(new Date(ms));
}
