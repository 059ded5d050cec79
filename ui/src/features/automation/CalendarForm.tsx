import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import type { HolidayCalendar } from "../../bindings/HolidayCalendar";
import { Button } from "../../components/Button";
import { intlLocale, t } from "../../i18n";
import {
  NEXT_OPENING,
  REPLY_LANGUAGES,
  WEEKDAYS,
  isOvernight,
  problems,
  rowKey,
  timeZones,
  week,
  type CalendarDraft,
  type ClosureDraft,
  type OpeningDraft,
  type Problem,
  type ReplyLanguage,
  type Weekday,
} from "./calendarModel";

type Props = {
  draft: CalendarDraft;
  onChange: (draft: CalendarDraft) => void;
  /** The named holiday calendars there are; null while loading or when they failed to load. */
  holidayCalendars: readonly HolidayCalendar[] | null;
  /** Called with a draft that passed the checks here; the server checks again. */
  onSave: () => void;
  onRevert: () => void;
  saving: boolean;
  dirty: boolean;
  /** The server's refusal, naming the field to fix. */
  error: string | null;
  restored: boolean;
};

/** A weekday's name in the UI language (1 January 2024 was a Monday). */
export function dayName(day: Weekday, width: "short" | "long" = "long"): string {
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(intlLocale(), { weekday: width, timeZone: "UTC" }).format(date);
}

const LANGUAGE_NAMES: Record<ReplyLanguage, string> = { en: "English", ar: "العربية", th: "ไทย" };

/** One number's calendar: when it is open and what customers are told while it is not. */
export function CalendarForm({ draft, onChange, holidayCalendars, onSave, onRevert, saving, dirty, error, restored }: Props) {
  const [tried, setTried] = useState(false);
  const found = tried ? problems(draft) : [];
  const zones = useMemo(() => timeZones(), []);
  const set = <K extends keyof CalendarDraft>(key: K, value: CalendarDraft[K]) => onChange({ ...draft, [key]: value });
  const problemOf = (field: string) => found.find((p) => p.field === field);
  const problemId = (field: string) => (problemOf(field) ? `calendar-problem-${field.replace(":", "-")}` : undefined);

  // Bumped on a refused save; the first field to fix takes the keyboard.
  const [refusedSaves, setRefusedSaves] = useState(0);
  useEffect(() => {
    if (refusedSaves === 0) return;
    const first = problems(draft)[0]?.field;
    if (first) document.querySelector<HTMLElement>(`[aria-describedby~="calendar-problem-${first.replace(":", "-")}"]`)?.focus();
    // Only after a save attempt, not while typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refusedSaves]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (problems(draft).length > 0) {
      setRefusedSaves((n) => n + 1);
      return;
    }
    onSave();
  }

  const problem = (field: string) => {
    const p: Problem | undefined = problemOf(field);
    return p ? (
      <span id={problemId(field)} className="automation-problem">
        {t(p.key, p.params)}
      </span>
    ) : null;
  };

  const setOpening = (key: number, change: Partial<OpeningDraft>) =>
    set(
      "openings",
      draft.openings.map((o) => (o.key === key ? { ...o, ...change } : o)),
    );
  const setClosure = (key: number, change: Partial<ClosureDraft>) =>
    set(
      "closures",
      draft.closures.map((c) => (c.key === key ? { ...c, ...change } : c)),
    );
  const knownHolidays = holidayCalendars?.map((h) => h.name) ?? [];
  const holidayNames = [...knownHolidays, ...draft.holidays.filter((n) => !knownHolidays.includes(n))];

  return (
    <form id="calendar-form" className="admin-form automation-form" onSubmit={submit} aria-labelledby="calendar-form-title" noValidate>
      <h3 id="calendar-form-title" className="admin-subtitle">
        {draft.original ? t("calendar.editTitle", { number: draft.number }) : t("calendar.newTitle", { number: draft.number })}
      </h3>
      {restored && (
        <p id="calendar-restored" className="admin-note" role="status">
          {t("calendar.restored")}
        </p>
      )}

      <div className="automation-field">
        <label htmlFor="calendar-zone">{t("calendar.zone")}</label>
        <input
          id="calendar-zone"
          list="calendar-zones"
          dir="ltr"
          autoComplete="off"
          value={draft.timeZone}
          onChange={(e) => set("timeZone", e.target.value)}
          aria-invalid={problemOf("zone") ? true : undefined}
          aria-describedby={["calendar-zone-hint", problemId("zone")].filter(Boolean).join(" ")}
        />
        <datalist id="calendar-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <span id="calendar-zone-hint" className="admin-note">
          {t("calendar.zoneHint")}
        </span>
        {problem("zone")}
      </div>

      <fieldset className="calendar-group" aria-describedby={problemId("openings")}>
        <legend>{t("calendar.openings")}</legend>
        <p className="admin-note">{t("calendar.openingsHint")}</p>
        {draft.openings.map((o, index) => (
          <fieldset key={o.key} className="calendar-row" data-opening={index}>
            <legend>{t("calendar.opening", { n: index + 1 })}</legend>
            <div className="calendar-days" role="group" aria-label={t("calendar.days")}>
              {WEEKDAYS.map((day) => (
                <label key={day} className="automation-check">
                  <input
                    type="checkbox"
                    checked={o.days.includes(day)}
                    onChange={(e) =>
                      setOpening(o.key, {
                        days: e.target.checked ? WEEKDAYS.filter((d) => d === day || o.days.includes(d)) : o.days.filter((d) => d !== day),
                      })
                    }
                    aria-describedby={problemId(`opening:${o.key}`)}
                  />
                  <span title={dayName(day)}>{dayName(day, "short")}</span>
                </label>
              ))}
            </div>
            <Labelled id={`calendar-opening-${index}-from`} label={t("calendar.from")}>
              <input
                id={`calendar-opening-${index}-from`}
                type="time"
                dir="ltr"
                value={o.from}
                onChange={(e) => setOpening(o.key, { from: e.target.value })}
                aria-describedby={problemId(`opening:${o.key}`)}
              />
            </Labelled>
            <Labelled id={`calendar-opening-${index}-until`} label={t("calendar.until")}>
              <input
                id={`calendar-opening-${index}-until`}
                type="time"
                dir="ltr"
                value={o.until}
                onChange={(e) => setOpening(o.key, { until: e.target.value })}
                aria-describedby={[isOvernight(o) ? `calendar-opening-${index}-overnight` : null, problemId(`opening:${o.key}`)].filter(Boolean).join(" ") || undefined}
              />
            </Labelled>
            {isOvernight(o) && (
              <span id={`calendar-opening-${index}-overnight`} className="calendar-overnight">
                {t("calendar.overnight", { until: o.until })}
              </span>
            )}
            <Button
              variant="ghost"
              aria-label={t("calendar.removeOpening", { n: index + 1 })}
              onClick={() =>
                set(
                  "openings",
                  draft.openings.filter((x) => x.key !== o.key),
                )
              }
            >
              {t("calendar.removeRow")}
            </Button>
            {problem(`opening:${o.key}`)}
          </fieldset>
        ))}
        {problem("openings")}
        <div className="admin-form-actions">
          <Button
            id="calendar-add-opening"
            onClick={() => set("openings", [...draft.openings, { key: rowKey(), days: [], from: "09:00", until: "17:00" }])}
          >
            {t("calendar.addOpening")}
          </Button>
        </div>
        <WeekAtAGlance openings={draft.openings} />
      </fieldset>

      <fieldset className="calendar-group">
        <legend>{t("calendar.holidays")}</legend>
        {holidayNames.length === 0 ? (
          <p className="admin-note">{t("calendar.noHolidayCalendars")}</p>
        ) : (
          <div className="calendar-holiday-choice">
            {holidayNames.map((name) => (
              <label key={name} className="automation-check">
                <input
                  type="checkbox"
                  checked={draft.holidays.includes(name)}
                  onChange={(e) => set("holidays", e.target.checked ? [...draft.holidays, name] : draft.holidays.filter((n) => n !== name))}
                />
                <span dir="auto">{name}</span>
                {holidayCalendars && !knownHolidays.includes(name) && <span className="automation-problem">{t("calendar.holidayMissing")}</span>}
              </label>
            ))}
          </div>
        )}
      </fieldset>

      <fieldset className="calendar-group">
        <legend>{t("calendar.closures")}</legend>
        <p className="admin-note">{t("calendar.closuresHint", { zone: draft.timeZone })}</p>
        {draft.closures.map((c, index) => (
          <fieldset key={c.key} className="calendar-row" data-closure={index}>
            <legend>{t("calendar.closure", { n: index + 1 })}</legend>
            <Labelled id={`calendar-closure-${index}-from`} label={t("calendar.closureFrom")}>
              <input
                id={`calendar-closure-${index}-from`}
                type="datetime-local"
                dir="ltr"
                value={c.from}
                onChange={(e) => setClosure(c.key, { from: e.target.value.slice(0, 16) })}
                aria-describedby={problemId(`closure:${c.key}`)}
              />
            </Labelled>
            <Labelled id={`calendar-closure-${index}-until`} label={t("calendar.closureUntil")}>
              <input
                id={`calendar-closure-${index}-until`}
                type="datetime-local"
                dir="ltr"
                value={c.until}
                onChange={(e) => setClosure(c.key, { until: e.target.value.slice(0, 16) })}
                aria-describedby={problemId(`closure:${c.key}`)}
              />
            </Labelled>
            <Labelled id={`calendar-closure-${index}-reason`} label={t("calendar.reason")}>
              <input id={`calendar-closure-${index}-reason`} dir="auto" value={c.reason} onChange={(e) => setClosure(c.key, { reason: e.target.value })} />
            </Labelled>
            <Button
              variant="ghost"
              aria-label={t("calendar.removeClosure", { n: index + 1 })}
              onClick={() =>
                set(
                  "closures",
                  draft.closures.filter((x) => x.key !== c.key),
                )
              }
            >
              {t("calendar.removeRow")}
            </Button>
            {problem(`closure:${c.key}`)}
          </fieldset>
        ))}
        <div className="admin-form-actions">
          <Button id="calendar-add-closure" onClick={() => set("closures", [...draft.closures, { key: rowKey(), from: "", until: "", reason: "" }])}>
            {t("calendar.addClosure")}
          </Button>
        </div>
      </fieldset>

      <fieldset className="calendar-group">
        <legend>{t("calendar.reply")}</legend>
        <label className="automation-check">
          <input id="calendar-reply-on" type="checkbox" checked={draft.replyOn} onChange={(e) => set("replyOn", e.target.checked)} />
          {t("calendar.replyOn")}
        </label>
        {draft.replyOn && (
          <>
            <p id="calendar-placeholder-hint" className="admin-note">
              {t("calendar.placeholderHint", { placeholder: NEXT_OPENING })}
            </p>
            {REPLY_LANGUAGES.map((language) => (
              <div key={language} className="automation-block-field">
                <label htmlFor={`calendar-text-${language}`}>{t("calendar.replyIn", { language: LANGUAGE_NAMES[language] })}</label>
                <textarea
                  id={`calendar-text-${language}`}
                  lang={language}
                  dir={language === "ar" ? "rtl" : "ltr"}
                  rows={3}
                  value={draft.texts[language]}
                  onChange={(e) => set("texts", { ...draft.texts, [language]: e.target.value })}
                  aria-invalid={problemOf(`text:${language}`) ? true : undefined}
                  aria-describedby={["calendar-placeholder-hint", problemId(`text:${language}`), problemId("texts")].filter(Boolean).join(" ")}
                />
                {problem(`text:${language}`)}
              </div>
            ))}
            {problem("texts")}
            <div className="automation-field">
              <label htmlFor="calendar-agent-minutes">{t("calendar.agentActive")}</label>
              <input
                id="calendar-agent-minutes"
                type="number"
                inputMode="numeric"
                min={0}
                max={1440}
                dir="ltr"
                value={draft.agentActiveMinutes}
                onChange={(e) => set("agentActiveMinutes", e.target.value)}
                aria-invalid={problemOf("minutes") ? true : undefined}
                aria-describedby={["calendar-agent-minutes-hint", problemId("minutes")].filter(Boolean).join(" ")}
              />
              <span id="calendar-agent-minutes-hint" className="admin-note">
                {t("calendar.agentActiveHint")}
              </span>
              {problem("minutes")}
            </div>
          </>
        )}
      </fieldset>

      <div className="admin-form-actions">
        <Button id="calendar-save" type="submit" variant="primary" disabled={saving}>
          {saving ? t("calendar.saving") : t("calendar.save")}
        </Button>
        <Button id="calendar-revert" variant="ghost" disabled={!dirty || saving} onClick={onRevert}>
          {t("calendar.revert")}
        </Button>
      </div>
      {error && (
        <p id="calendar-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
    </form>
  );
}

function Labelled({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <span className="automation-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </span>
  );
}

/** Each weekday's openings in order; an overnight one says it ends the next day. */
function WeekAtAGlance({ openings }: { openings: readonly OpeningDraft[] }) {
  return (
    <table id="calendar-week" className="board-table calendar-week">
      <caption>{t("calendar.week")}</caption>
      <tbody>
        {week(openings).map(({ day, spans }) => (
          <tr key={day} data-day={day}>
            <th scope="row">{dayName(day)}</th>
            <td>
              {spans.length === 0
                ? t("calendar.closedAllDay")
                : spans
                    .map((s) => (s.overnight ? t("calendar.spanOvernight", { from: s.from, until: s.until }) : t("calendar.span", { from: s.from, until: s.until })))
                    .join(", ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
