import { useEffect, useState } from "react";
import type { NumberCalendar } from "../../bindings/NumberCalendar";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import { knownNumbers, type KnownNumber } from "./autoReplyModel";
import { CalendarForm } from "./CalendarForm";
import { CalendarPreviewConsole } from "./CalendarPreviewConsole";
import { calendarDraft, isDirty, settingsOf, type CalendarDraft } from "./calendarModel";
import "./calendars.css";
import { keepDraft, keptDraft, useUnsavedWarning } from "./keptDrafts";

const KEPT = "calendar";

/** How a number reads in the picker: its name and display number when the desk knows them. */
export function numberLabel(n: KnownNumber): string {
  const shown = [n.name, n.display].filter(Boolean).join(" · ");
  return shown ? `${shown} (${n.id})` : n.id;
}

/**
 * Business calendars: pick a number, edit when it is open (time zone, weekly openings,
 * holiday calendars, one-off closures) and what customers who write while it is closed are
 * told, save or remove it, and preview the saved calendar at any instant.
 */
export function CalendarsPanel() {
  const loaded = useLoad("calendars");
  const holidays = useLoad("holiday_calendars");
  const servers = useLoad("business_numbers");
  const inbox = useLoad("list_inbox");
  const [saved, setSaved] = useState<NumberCalendar[] | null>(null);
  const [draft, setDraft] = useState<CalendarDraft | null>(() => keptDraft<CalendarDraft>(KEPT));
  const [restored] = useState(() => {
    const kept = keptDraft<CalendarDraft>(KEPT);
    return kept !== null && isDirty(kept);
  });
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  const [removing, setRemoving] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  const list = saved ?? loaded.data?.calendars ?? null;
  const numbers = knownNumbers(servers.data, inbox.data, null);
  for (const c of list ?? []) {
    if (!numbers.some((n) => n.id === c.phone_number_id)) numbers.push({ id: c.phone_number_id, name: null, display: null });
  }
  const calendarOf = (number: string) => list?.find((c) => c.phone_number_id === number) ?? null;
  const dirty = draft !== null && isDirty(draft);

  useEffect(() => {
    keepDraft(KEPT, draft);
  }, [draft]);

  useUnsavedWarning(dirty);

  function whenClean(action: () => void) {
    if (dirty) setDiscarding(() => action);
    else action();
  }

  function open(number: string | null, from: NumberCalendar[] | null = list) {
    const calendar = from?.find((c) => c.phone_number_id === number) ?? null;
    setDraft(number ? calendarDraft(number, calendar) : null);
    setDiscarding(null);
    setRemoving(false);
    setError(null);
    setFormKey((k) => k + 1);
  }

  async function save() {
    if (!draft || !list) return;
    setSaving(true);
    setError(null);
    setStatus(null);
    try {
      const answer = await call("save_calendar", { phone_number_id: draft.number, settings: settingsOf(draft) });
      const next = [...list.filter((c) => c.phone_number_id !== answer.phone_number_id), answer];
      setSaved(next);
      setDraft(calendarDraft(answer.phone_number_id, answer));
      setStatus(t("calendar.saved", { number: answer.phone_number_id }));
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    if (!draft || !list) return;
    setError(null);
    setStatus(null);
    try {
      await call("delete_calendar", { phone_number_id: draft.number });
      const next = list.filter((c) => c.phone_number_id !== draft.number);
      setSaved(next);
      setStatus(t("calendar.removed", { number: draft.number }));
      open(draft.number, next);
    } catch (err) {
      setRemoving(false);
      setError(toIpcError(err).message);
    }
  }

  const current = draft ? calendarOf(draft.number) : null;

  return (
    <section className="board-section admin-panel automation-panel" aria-labelledby="calendars-title">
      <h2 id="calendars-title" className="board-title">
        {t("calendar.title")}
      </h2>
      <p className="admin-note">{t("calendar.note")}</p>
      {loaded.error && (
        <p className="load-error" role="alert">
          {loaded.error}
        </p>
      )}
      {list && (
        <div className="automation-field calendar-number-field">
          <label htmlFor="calendar-number">{t("calendar.number")}</label>
          <select
            id="calendar-number"
            value={draft?.number ?? ""}
            onChange={(e) => {
              const number = e.target.value || null;
              whenClean(() => open(number));
            }}
          >
            <option value="">{t("calendar.chooseNumber")}</option>
            {numbers.map((n) => (
              <option key={n.id} value={n.id}>
                {`${numberLabel(n)} — ${calendarOf(n.id) ? t("calendar.hasCalendar") : t("calendar.alwaysOpen")}`}
              </option>
            ))}
          </select>
        </div>
      )}
      {status && (
        <p id="calendar-status" className="admin-note" role="status" dir="auto">
          {status}
        </p>
      )}
      {discarding && draft && (
        <div id="calendar-discard" className="automation-discard" role="alertdialog" aria-labelledby="calendar-discard-text">
          <p id="calendar-discard-text" dir="auto">
            {t("calendar.discard", { number: draft.number })}
          </p>
          <div className="admin-form-actions">
            <Button id="calendar-discard-confirm" variant="primary" onClick={discarding} autoFocus>
              {t("automation.rule.discard")}
            </Button>
            <Button id="calendar-discard-keep" variant="ghost" onClick={() => setDiscarding(null)}>
              {t("automation.rule.keepEditing")}
            </Button>
          </div>
        </div>
      )}
      {draft && list && (
        <CalendarForm
          key={formKey}
          draft={draft}
          onChange={setDraft}
          holidayCalendars={holidays.data?.calendars ?? null}
          onSave={() => void save()}
          onRevert={() => open(draft.number)}
          saving={saving}
          dirty={dirty}
          error={error}
          restored={restored && formKey === 0}
        />
      )}
      {draft && current && (
        <div className="admin-form-actions calendar-remove">
          {removing ? (
            <div id="calendar-remove-confirm" role="alertdialog" aria-labelledby="calendar-remove-text" className="automation-discard">
              <p id="calendar-remove-text">{t("calendar.removeConfirm", { number: draft.number })}</p>
              <div className="admin-form-actions">
                <Button id="calendar-remove-yes" variant="primary" onClick={() => void remove()} autoFocus>
                  {t("calendar.remove")}
                </Button>
                <Button id="calendar-remove-no" variant="ghost" onClick={() => setRemoving(false)}>
                  {t("calendar.keep")}
                </Button>
              </div>
            </div>
          ) : (
            <Button id="calendar-remove" variant="ghost" onClick={() => setRemoving(true)}>
              {t("calendar.remove")}
            </Button>
          )}
        </div>
      )}
      {draft && current && <CalendarPreviewConsole key={`${draft.number}-${current.updated_at}`} calendar={current} unsaved={dirty} />}
    </section>
  );
}
