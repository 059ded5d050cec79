import { useEffect, useState, type FormEvent } from "react";
import type { HolidayCalendar } from "../../bindings/HolidayCalendar";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import "./calendars.css";
import { keepDraft, keptDraft, useUnsavedWarning } from "./keptDrafts";

/** A holiday calendar as the form edits it: its dates one per line. */
export type HolidayDraft = { original: HolidayCalendar | null; name: string; dates: string };

const KEPT = "holiday_calendar";

/** The dates as written, one a line, blanks dropped. */
export function datesOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((d) => d.trim())
    .filter(Boolean);
}

/** The lines that are not a real calendar date `YYYY-MM-DD`. */
export function badDates(dates: readonly string[]): string[] {
  return dates.filter((d) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    if (!m) return true;
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return date.toISOString().slice(0, 10) !== d;
  });
}

function draftOf(calendar: HolidayCalendar | null): HolidayDraft {
  return { original: calendar, name: calendar?.name ?? "", dates: (calendar?.dates ?? []).join("\n") };
}

function dirtyDraft(draft: HolidayDraft | null): boolean {
  if (!draft) return false;
  const start = draftOf(draft.original);
  return draft.name.trim() !== start.name || datesOf(draft.dates).join("\n") !== datesOf(start.dates).join("\n");
}

/**
 * Named holiday calendars ("Saudi public holidays 2027"): lists of dates closed all day that
 * numbers' calendars refer to by name. Deleting one a number uses is refused by the server,
 * which names the numbers; that message shows here.
 */
export function HolidayCalendarsPanel() {
  const loaded = useLoad("holiday_calendars");
  const numbers = useLoad("calendars");
  const [saved, setSaved] = useState<HolidayCalendar[] | null>(null);
  const [draft, setDraft] = useState<HolidayDraft | null>(() => keptDraft<HolidayDraft>(KEPT));
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const list = saved ?? loaded.data?.calendars ?? null;
  const dirty = dirtyDraft(draft);
  const usedBy = (name: string) => (numbers.data?.calendars ?? []).filter((c) => (c.hours.holidays ?? []).includes(name)).map((c) => c.phone_number_id);

  useEffect(() => {
    keepDraft(KEPT, draft);
  }, [draft]);

  useUnsavedWarning(dirty);

  function whenClean(action: () => void) {
    if (dirty) setDiscarding(() => action);
    else action();
  }

  function open(next: HolidayDraft | null) {
    setDraft(next);
    setDiscarding(null);
    setTried(false);
    setFormError(null);
  }

  const name = draft?.name.trim() ?? "";
  const dates = draft ? datesOf(draft.dates) : [];
  const wrong = badDates(dates);
  const nameProblem = tried && (name.length === 0 || [...name].length > 100);
  const taken = tried && draft?.original === null && (list ?? []).some((h) => h.name === name);
  const datesProblem = tried && wrong.length > 0;

  async function save(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!draft || !list) return;
    if (name.length === 0 || [...name].length > 100 || wrong.length > 0 || (draft.original === null && list.some((h) => h.name === name))) return;
    setSaving(true);
    setFormError(null);
    setStatus(null);
    try {
      const answer = await call("save_holiday_calendar", { name, dates });
      setSaved([...list.filter((h) => h.name !== answer.name), answer].sort((a, b) => a.name.localeCompare(b.name)));
      open(null);
      setStatus(t("holidays.saved", { name: answer.name }));
    } catch (err) {
      setFormError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  async function remove(calendar: HolidayCalendar) {
    if (!list) return;
    setListError(null);
    setStatus(null);
    try {
      await call("delete_holiday_calendar", { name: calendar.name });
      setSaved(list.filter((h) => h.name !== calendar.name));
      if (draft?.original?.name === calendar.name) open(null);
      setStatus(t("holidays.deleted", { name: calendar.name }));
    } catch (err) {
      setListError(toIpcError(err).message);
    }
  }

  return (
    <section className="board-section admin-panel automation-panel" aria-labelledby="holidays-title">
      <h2 id="holidays-title" className="board-title">
        {t("holidays.title")}
      </h2>
      <p className="admin-note">{t("holidays.note")}</p>
      {loaded.error && (
        <p className="load-error" role="alert">
          {loaded.error}
        </p>
      )}
      {list && (
        <>
          <div className="admin-form-actions">
            <Button id="holidays-new" variant="primary" onClick={() => whenClean(() => open(draftOf(null)))}>
              {t("holidays.new")}
            </Button>
          </div>
          {list.length === 0 ? (
            <p id="holidays-empty" className="admin-note">
              {t("holidays.empty")}
            </p>
          ) : (
            <table id="holiday-calendars" className="board-table">
              <thead>
                <tr>
                  <th scope="col">{t("holidays.name")}</th>
                  <th scope="col">{t("holidays.dates")}</th>
                  <th scope="col">{t("holidays.usedBy")}</th>
                  <th scope="col">{t("automation.rule.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((h) => {
                  const users = usedBy(h.name);
                  return (
                    <tr key={h.name} className="holiday-calendar" data-name={h.name}>
                      <td dir="auto">{h.name}</td>
                      <td>{t("holidays.dateCount", { count: h.dates.length })}</td>
                      <td dir="ltr">{users.length === 0 ? t("holidays.unused") : users.join(", ")}</td>
                      <td>
                        <Button variant="ghost" aria-label={t("holidays.editNamed", { name: h.name })} onClick={() => whenClean(() => open(draftOf(h)))}>
                          {t("holidays.edit")}
                        </Button>
                        <Button variant="ghost" aria-label={t("holidays.deleteNamed", { name: h.name })} onClick={() => void remove(h)}>
                          {t("holidays.delete")}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
      {listError && (
        <p id="holidays-error" className="load-error" role="alert" dir="auto">
          {listError}
        </p>
      )}
      {status && (
        <p id="holidays-status" className="admin-note" role="status" dir="auto">
          {status}
        </p>
      )}
      {discarding && (
        <div id="holidays-discard" className="automation-discard" role="alertdialog" aria-labelledby="holidays-discard-text">
          <p id="holidays-discard-text">{t("holidays.discard")}</p>
          <div className="admin-form-actions">
            <Button id="holidays-discard-confirm" variant="primary" onClick={discarding} autoFocus>
              {t("automation.rule.discard")}
            </Button>
            <Button id="holidays-discard-keep" variant="ghost" onClick={() => setDiscarding(null)}>
              {t("automation.rule.keepEditing")}
            </Button>
          </div>
        </div>
      )}
      {draft && list && (
        <form id="holidays-form" className="admin-form automation-form" onSubmit={(e) => void save(e)} aria-labelledby="holidays-form-title" noValidate>
          <h3 id="holidays-form-title" className="admin-subtitle" dir="auto">
            {draft.original ? t("holidays.editTitle", { name: draft.original.name }) : t("holidays.newTitle")}
          </h3>
          <div className="automation-field">
            <label htmlFor="holidays-name">{t("holidays.name")}</label>
            <input
              id="holidays-name"
              dir="auto"
              autoComplete="off"
              value={draft.name}
              readOnly={draft.original !== null}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              aria-invalid={nameProblem || taken ? true : undefined}
              aria-describedby={nameProblem || taken ? "holidays-name-problem" : undefined}
            />
            {(nameProblem || taken) && (
              <span id="holidays-name-problem" className="automation-problem">
                {taken ? t("holidays.problem.taken", { name }) : t("holidays.problem.name")}
              </span>
            )}
          </div>
          <div className="automation-block-field">
            <label htmlFor="holidays-dates">{t("holidays.dates")}</label>
            <textarea
              id="holidays-dates"
              dir="ltr"
              rows={8}
              value={draft.dates}
              onChange={(e) => setDraft({ ...draft, dates: e.target.value })}
              aria-invalid={datesProblem ? true : undefined}
              aria-describedby={["holidays-dates-hint", datesProblem ? "holidays-dates-problem" : null].filter(Boolean).join(" ")}
            />
            <span id="holidays-dates-hint" className="admin-note">
              {t("holidays.datesHint")}
            </span>
            {datesProblem && (
              <span id="holidays-dates-problem" className="automation-problem">
                {t("holidays.problem.dates", { dates: wrong.join(", ") })}
              </span>
            )}
          </div>
          <div className="admin-form-actions">
            <Button id="holidays-save" type="submit" variant="primary" disabled={saving}>
              {t("holidays.save")}
            </Button>
            <Button id="holidays-cancel" variant="ghost" onClick={() => whenClean(() => open(null))}>
              {t("holidays.cancel")}
            </Button>
          </div>
          {formError && (
            <p id="holidays-form-error" className="load-error" role="alert" dir="auto">
              {formError}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
