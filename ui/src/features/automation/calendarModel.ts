import type { CalendarSettings } from "../../bindings/CalendarSettings";
import type { NumberCalendar } from "../../bindings/NumberCalendar";
import type { OffHoursReply } from "../../bindings/OffHoursReply";
import type { StringKey } from "../../i18n";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The one placeholder an off-hours reply may hold. */
export const NEXT_OPENING = "{next_opening}";
/** The server's default and longest quiet time after an agent's message. */
export const DEFAULT_AGENT_ACTIVE_MINUTES = 15;
export const MAX_AGENT_ACTIVE_MINUTES = 24 * 60;

export const REPLY_LANGUAGES = ["en", "ar", "th"] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

export type OpeningDraft = { key: number; days: Weekday[]; from: string; until: string };
export type ClosureDraft = { key: number; from: string; until: string; reason: string };

/** A number's calendar as the form edits it; `original` is what the server last said. */
export type CalendarDraft = {
  number: string;
  original: NumberCalendar | null;
  timeZone: string;
  openings: OpeningDraft[];
  holidays: string[];
  closures: ClosureDraft[];
  replyOn: boolean;
  texts: Record<ReplyLanguage, string>;
  agentActiveMinutes: string;
};

let keys = 0;
/** A key for a new row, so React keeps each row's focus while rows come and go. */
export function rowKey(): number {
  keys += 1;
  return keys;
}

/** The desk's own time zone, the starting point for a number without a calendar. */
export function deskTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The form for a number's saved calendar, or a new one (Sunday to Thursday, 9 to 5). */
export function calendarDraft(number: string, saved: NumberCalendar | null, zone: string = deskTimeZone()): CalendarDraft {
  if (!saved) {
    return {
      number,
      original: null,
      timeZone: zone,
      openings: [{ key: rowKey(), days: ["sun", "mon", "tue", "wed", "thu"], from: "09:00", until: "17:00" }],
      holidays: [],
      closures: [],
      replyOn: false,
      texts: { en: "", ar: "", th: "" },
      agentActiveMinutes: String(DEFAULT_AGENT_ACTIVE_MINUTES),
    };
  }
  const reply = saved.off_hours_reply;
  return {
    number,
    original: saved,
    timeZone: saved.hours.time_zone,
    openings: saved.hours.openings.map((o) => ({
      key: rowKey(),
      days: WEEKDAYS.filter((d) => o.days.some((day) => day.trim().toLowerCase() === d)),
      from: o.from,
      until: o.until,
    })),
    holidays: [...(saved.hours.holidays ?? [])],
    closures: (saved.hours.closures ?? []).map((c) => ({ key: rowKey(), from: c.from, until: c.until, reason: c.reason ?? "" })),
    replyOn: reply !== undefined,
    texts: { en: reply?.en ?? "", ar: reply?.ar ?? "", th: reply?.th ?? "" },
    agentActiveMinutes: String(reply?.agent_active_minutes ?? DEFAULT_AGENT_ACTIVE_MINUTES),
  };
}

/**
 * What the draft saves. Fields the form does not edit (`closed_on`, and any a newer server
 * adds) are kept from the calendar it started from, so saving never drops them.
 */
export function settingsOf(draft: CalendarDraft): CalendarSettings {
  const hours = {
    ...(draft.original?.hours ?? { closed_on: [] }),
    time_zone: draft.timeZone.trim(),
    openings: draft.openings.map((o) => ({ days: [...o.days], from: o.from, until: o.until })),
    holidays: [...draft.holidays],
    closures: draft.closures.map((c) => {
      const reason = c.reason.trim();
      return reason ? { from: c.from, until: c.until, reason } : { from: c.from, until: c.until };
    }),
  };
  const settings: CalendarSettings = { hours };
  if (draft.replyOn) {
    const reply: OffHoursReply = {
      ...(draft.original?.off_hours_reply ?? {}),
      agent_active_minutes: Number(draft.agentActiveMinutes.trim()),
    };
    for (const language of REPLY_LANGUAGES) {
      const text = draft.texts[language];
      if (text.trim()) reply[language] = text;
      else delete reply[language];
    }
    settings.off_hours_reply = reply;
  }
  return settings;
}

/** Whether the draft differs from what it started from. */
export function isDirty(draft: CalendarDraft): boolean {
  const start = calendarDraft(draft.number, draft.original);
  return JSON.stringify(settingsOf(draft)) !== JSON.stringify(settingsOf(start));
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;

/** An opening whose end is not after its start runs past midnight into the next day. */
export function isOvernight(o: { from: string; until: string }): boolean {
  return TIME.test(o.from) && TIME.test(o.until) && o.until < o.from;
}

/** Whether the engine knows the time zone. */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the engine lists, for the searchable time zone field. */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  try {
    const zones = intl.supportedValuesOf?.("timeZone");
    if (zones && zones.length > 0) return zones.includes("UTC") ? zones : [...zones, "UTC"];
  } catch {
    // Older engines: the common ones below.
  }
  return ["UTC", "Asia/Riyadh", "Asia/Dubai", "Asia/Bangkok", "Africa/Cairo", "Europe/London", "Europe/Berlin", "America/New_York"];
}

/** The first `{…}` that is not `{next_opening}`, or a `{` left open, as the server checks. */
export function unknownPlaceholder(text: string): string | null {
  let rest = text;
  for (;;) {
    const start = rest.indexOf("{");
    if (start < 0) return null;
    const after = rest.slice(start);
    const end = after.indexOf("}");
    if (end < 0) return [...after].slice(0, 20).join("");
    const placeholder = after.slice(0, end + 1);
    if (placeholder !== NEXT_OPENING) return placeholder;
    rest = after.slice(end + 1);
  }
}

/** Where a problem is, to mark the field: `opening:<key>`, `closure:<key>`, `text:<lang>` or a field. */
export type Problem = { field: string; key: StringKey; params?: Record<string, string> };

/** What the server would refuse, found before saving; the server checks again. */
export function problems(draft: CalendarDraft): Problem[] {
  const found: Problem[] = [];
  if (!isTimeZone(draft.timeZone)) found.push({ field: "zone", key: "calendar.problem.zone" });
  if (draft.openings.length === 0) found.push({ field: "openings", key: "calendar.problem.noOpenings" });
  for (const o of draft.openings) {
    const field = `opening:${o.key}`;
    if (o.days.length === 0) found.push({ field, key: "calendar.problem.days" });
    else if (!TIME.test(o.from) || !TIME.test(o.until)) found.push({ field, key: "calendar.problem.time" });
    else if (o.from === o.until) found.push({ field, key: "calendar.problem.empty" });
  }
  for (const c of draft.closures) {
    const field = `closure:${c.key}`;
    if (!LOCAL.test(c.from) || !LOCAL.test(c.until)) found.push({ field, key: "calendar.problem.closureTime" });
    else if (c.until <= c.from) found.push({ field, key: "calendar.problem.closureOrder" });
  }
  if (draft.replyOn) {
    if (REPLY_LANGUAGES.every((l) => !draft.texts[l].trim())) found.push({ field: "texts", key: "calendar.problem.noText" });
    for (const language of REPLY_LANGUAGES) {
      const placeholder = unknownPlaceholder(draft.texts[language]);
      if (placeholder) found.push({ field: `text:${language}`, key: "calendar.problem.placeholder", params: { placeholder, known: NEXT_OPENING } });
    }
    const minutes = draft.agentActiveMinutes.trim();
    if (!/^\d+$/.test(minutes) || Number(minutes) > MAX_AGENT_ACTIVE_MINUTES) {
      found.push({ field: "minutes", key: "calendar.problem.minutes", params: { max: String(MAX_AGENT_ACTIVE_MINUTES) } });
    }
  }
  return found;
}

export type Span = { from: string; until: string; overnight: boolean };

/** Each weekday's openings in time order, overnight ones marked, for the week at a glance. */
export function week(openings: readonly OpeningDraft[]): { day: Weekday; spans: Span[] }[] {
  return WEEKDAYS.map((day) => ({
    day,
    spans: openings
      .filter((o) => o.days.includes(day) && TIME.test(o.from) && TIME.test(o.until) && o.from !== o.until)
      .map((o) => ({ from: o.from, until: o.until, overnight: isOvernight(o) }))
      .sort((a, b) => a.from.localeCompare(b.from)),
  }));
}

/** `YYYY-MM-DDTHH:MM` in `zone` at the instant `ms`. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

export function localInZone(ms: number, zone: string): string {
  let clock = wallClocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    wallClocks.set(zone, clock);
  }
  const parts = clock.formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}`;
}

/**
 * The instant a local date and time (`YYYY-MM-DDTHH:MM`) in `zone` names: the earlier one
 * when clocks go back, the first minute after the gap when they go forward.
 */
export function instantInZone(local: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m || !isTimeZone(zone)) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const offsetAt = (ms: number) => Date.parse(`${localInZone(ms, zone)}:00Z`) - ms;
  const candidates = [asUtc - offsetAt(asUtc - 86_400_000), asUtc - offsetAt(asUtc + 86_400_000), asUtc - offsetAt(asUtc)];
  const exact = candidates.filter((c) => localInZone(c, zone) === local).sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // In a gap: the wall time does not exist; the later offset lands just after it.
  return Math.max(...candidates);
}
