import { useState, type FormEvent } from "react";
import type { CalendarPreview } from "../../bindings/CalendarPreview";
import type { NumberCalendar } from "../../bindings/NumberCalendar";
import { Button } from "../../components/Button";
import { intlLocale, t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { REPLY_LANGUAGES, instantInZone } from "./calendarModel";

const LANGUAGE_NAMES = { en: "English", ar: "العربية", th: "ไทย" } as const;

/** An instant as a reader of the UI language writes it, in the number's time zone. */
export function inZone(ms: number, zone: string): string {
  try {
    return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "full", timeStyle: "short", timeZone: zone }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

/**
 * The calendar preview: the saved calendar at an instant the admin picks in the number's
 * time zone (now when left empty), open or closed, when it next opens, and the off-hours
 * reply a customer writing in each language would get, as the server renders it.
 */
export function CalendarPreviewConsole({ calendar, unsaved }: { calendar: NumberCalendar; unsaved: boolean }) {
  const zone = calendar.hours.time_zone;
  const [local, setLocal] = useState("");
  const [preview, setPreview] = useState<CalendarPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  async function run(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const at = local ? instantInZone(local, zone) : null;
    if (local && at === null) {
      setError(t("calendar.preview.badInstant"));
      return;
    }
    setRunning(true);
    try {
      const request = at === null ? { phone_number_id: calendar.phone_number_id } : { phone_number_id: calendar.phone_number_id, at };
      setPreview(await call("preview_calendar", request));
    } catch (err) {
      setPreview(null);
      setError(toIpcError(err).message);
    } finally {
      setRunning(false);
    }
  }

  return (
    <form id="calendar-preview" className="admin-form automation-console" onSubmit={(e) => void run(e)} aria-labelledby="calendar-preview-title">
      <h3 id="calendar-preview-title" className="admin-subtitle">
        {t("calendar.preview.title")}
      </h3>
      <p className="admin-note">{unsaved ? t("calendar.preview.unsaved") : t("calendar.preview.note")}</p>
      <div className="automation-field">
        <label htmlFor="calendar-preview-at">{t("calendar.preview.at", { zone })}</label>
        <input
          id="calendar-preview-at"
          type="datetime-local"
          dir="ltr"
          value={local}
          onChange={(e) => setLocal(e.target.value.slice(0, 16))}
          aria-describedby="calendar-preview-at-hint"
        />
        <span id="calendar-preview-at-hint" className="admin-note">
          {t("calendar.preview.atHint")}
        </span>
      </div>
      <div className="admin-form-actions">
        <Button id="calendar-preview-run" type="submit" variant="primary" disabled={running}>
          {t("calendar.preview.run")}
        </Button>
      </div>
      {error && (
        <p id="calendar-preview-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {preview && (
        <div id="calendar-preview-result" data-open={preview.open} role="status">
          <p className="calendar-verdict">
            {t(preview.open ? "calendar.preview.open" : "calendar.preview.closed", { at: inZone(preview.at, preview.time_zone) })}
          </p>
          <p id="calendar-preview-next">
            {preview.next_opening === null
              ? t("calendar.preview.neverOpens")
              : t("calendar.preview.next", { when: inZone(preview.next_opening, preview.time_zone), zone: preview.time_zone })}
          </p>
          {!preview.open && (
            <dl className="calendar-replies">
              {REPLY_LANGUAGES.map((language) => {
                const text = preview.replies[language];
                return (
                  <div key={language} data-language={language}>
                    <dt>{t("calendar.preview.customerWrites", { language: LANGUAGE_NAMES[language] })}</dt>
                    <dd>
                      {text ? (
                        <blockquote lang={language} dir={language === "ar" ? "rtl" : "ltr"} className="calendar-reply-text">
                          {text}
                        </blockquote>
                      ) : (
                        <span className="admin-note">{t("calendar.preview.noReply")}</span>
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
          )}
        </div>
      )}
    </form>
  );
}
