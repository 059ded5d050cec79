import { useEffect, useState, type FormEvent } from "react";
import type { CsatSurvey } from "../../bindings/CsatSurvey";
import type { Greeting } from "../../bindings/Greeting";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import { knownNumbers } from "./autoReplyModel";
import { numberLabel } from "./CalendarsPanel";
import { REPLY_LANGUAGES } from "./calendarModel";
import { FIELDS, entriesOf, entryDraft, isDirty, problems, type CourtesyKind, type EntryDraft } from "./courtesyModel";
import "./calendars.css";
import { keepDraft, keptDraft, useUnsavedWarning } from "./keptDrafts";

type Saved = Greeting | CsatSurvey;


async function load(kind: CourtesyKind): Promise<Saved[]> {
  return kind === "greetings" ? (await call("greetings", null)).greetings : (await call("csat_settings", null)).surveys;
}

async function save(kind: CourtesyKind, entries: Saved[]): Promise<Saved[]> {
  return kind === "greetings"
    ? (await call("save_greetings", { greetings: entries as Greeting[] })).greetings
    : (await call("save_csat_settings", { surveys: entries as CsatSurvey[] })).surveys;
}

const LANGUAGE_NAMES = { en: "English", ar: "العربية", th: "ไทย" } as const;

/**
 * The greeting on a customer's first contact, or the satisfaction survey after a resolve: a
 * default for every number and, where a number needs its own, one per number (switched off,
 * it also silences the default there). Texts in English, Arabic and Thai; each customer gets
 * their language. The whole list is saved at once.
 */
export function CourtesyPanel({ kind }: { kind: CourtesyKind }) {
  const servers = useLoad("business_numbers");
  const inbox = useLoad("list_inbox");
  const [saved, setSaved] = useState<Saved[] | null>(null);
  const [drafts, setDrafts] = useState<EntryDraft[] | null>(() => keptDraft<EntryDraft[]>(kind));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tried, setTried] = useState(false);
  const [adding, setAdding] = useState("");

  useEffect(() => {
    let current = true;
    load(kind).then(
      (entries) => {
        if (!current) return;
        setSaved(entries);
        setDrafts((d) => d ?? entries.map((e) => entryDraft(kind, e)));
      },
      (err: unknown) => current && setLoadError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, [kind]);

  const dirty = drafts !== null && saved !== null && isDirty(kind, drafts, saved);
  useEffect(() => {
    keepDraft(kind, dirty ? drafts : null);
  }, [kind, drafts, dirty]);
  useUnsavedWarning(dirty);

  const numbers = knownNumbers(servers.data, inbox.data, null);
  for (const d of drafts ?? []) if (d.number && !numbers.some((n) => n.id === d.number)) numbers.push({ id: d.number, name: null, display: null });
  const free = numbers.filter((n) => !(drafts ?? []).some((d) => d.number === n.id));
  const found = tried && drafts ? problems(kind, drafts) : [];
  const prefix = kind === "greetings" ? "greeting" : "survey";

  const change = (key: number, next: Partial<EntryDraft>) => setDrafts((list) => (list ?? []).map((d) => (d.key === key ? { ...d, ...next } : d)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!drafts) return;
    setTried(true);
    setStatus(null);
    const trouble = problems(kind, drafts);
    if (trouble.length > 0) {
      const first = trouble[0]!;
      document.getElementById(`${prefix}-${first.entry}-${first.field.split(":")[0]}-${first.field.split(":")[1] ?? "en"}`)?.focus();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const answer = await save(kind, entriesOf(kind, drafts));
      setSaved(answer);
      setDrafts(answer.map((a) => entryDraft(kind, a)));
      setTried(false);
      setStatus(t(kind === "greetings" ? "courtesy.greetings.saved" : "courtesy.surveys.saved"));
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  const title = kind === "greetings" ? "courtesy.greetings.title" : "courtesy.surveys.title";
  return (
    <section className="board-section admin-panel automation-panel" aria-labelledby={`${prefix}s-title`}>
      <h2 id={`${prefix}s-title`} className="board-title">
        {t(title)}
      </h2>
      <p className="admin-note">{t(kind === "greetings" ? "courtesy.greetings.note" : "courtesy.surveys.note")}</p>
      {loadError && (
        <p className="load-error" role="alert">
          {loadError}
        </p>
      )}
      {drafts && (
        <form id={`${prefix}s-form`} className="admin-form automation-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${prefix}s-title`}>
          {drafts.length === 0 && <p className="admin-note">{t(kind === "greetings" ? "courtesy.greetings.empty" : "courtesy.surveys.empty")}</p>}
          {drafts.map((d) => {
            const known = numbers.find((n) => n.id === d.number);
            const scope = d.number === null ? t("courtesy.default") : known ? numberLabel(known) : d.number;
            return (
              <fieldset key={d.key} className="calendar-group courtesy-entry" data-number={d.number ?? "default"}>
                <legend dir="auto">{scope}</legend>
                <label className="automation-check">
                  <input type="checkbox" checked={d.enabled} onChange={(e) => change(d.key, { enabled: e.target.checked })} />
                  {t("courtesy.enabled", { scope })}
                </label>
                {d.number !== null && !d.enabled && <p className="admin-note">{t("courtesy.offSilences")}</p>}
                {FIELDS[kind].map((f) => {
                  const missing = found.find((p) => p.entry === d.key && p.field === f.id);
                  return (
                    <fieldset key={f.id} className="calendar-row courtesy-field">
                      <legend>{t(f.label)}</legend>
                      <span className="admin-note">{t(f.hint, { max: f.max })}</span>
                      {REPLY_LANGUAGES.map((language) => {
                        const id = `${prefix}-${d.key}-${f.id}-${language}`;
                        const long = found.find((p) => p.entry === d.key && p.field === `${f.id}:${language}`);
                        const text = d.texts[f.id]![language];
                        return (
                          <div key={language} className="automation-block-field">
                            <label htmlFor={id}>{t("courtesy.in", { field: t(f.label), language: LANGUAGE_NAMES[language], scope })}</label>
                            <textarea
                              id={id}
                              lang={language}
                              dir={language === "ar" ? "rtl" : "ltr"}
                              rows={f.max <= 20 ? 1 : 3}
                              value={text}
                              onChange={(e) => change(d.key, { texts: { ...d.texts, [f.id]: { ...d.texts[f.id]!, [language]: e.target.value } } })}
                              aria-invalid={long || missing ? true : undefined}
                              aria-describedby={long ? `${id}-problem` : missing ? `${prefix}-${d.key}-${f.id}-problem` : undefined}
                            />
                            <span className="admin-note" dir="ltr">
                              {[...text].length}/{f.max}
                            </span>
                            {long && (
                              <span id={`${id}-problem`} className="automation-problem">
                                {t(long.key, long.params)}
                              </span>
                            )}
                          </div>
                        );
                      })}
                      {missing && (
                        <span id={`${prefix}-${d.key}-${f.id}-problem`} className="automation-problem">
                          {t(missing.key)}
                        </span>
                      )}
                    </fieldset>
                  );
                })}
                <div className="admin-form-actions">
                  <Button variant="ghost" onClick={() => setDrafts(drafts.filter((x) => x.key !== d.key))}>
                    {t("courtesy.remove", { scope })}
                  </Button>
                </div>
              </fieldset>
            );
          })}
          <div className="admin-form-actions courtesy-add">
            {!drafts.some((d) => d.number === null) && (
              <Button id={`${prefix}-add-default`} onClick={() => setDrafts([entryDraft(kind, null, null), ...drafts])}>
                {t("courtesy.addDefault")}
              </Button>
            )}
            {free.length > 0 && (
              <>
                <label htmlFor={`${prefix}-add-number`}>{t("courtesy.forNumber")}</label>
                <select id={`${prefix}-add-number`} value={adding} onChange={(e) => setAdding(e.target.value)}>
                  <option value="">{t("calendar.chooseNumber")}</option>
                  {free.map((n) => (
                    <option key={n.id} value={n.id}>
                      {numberLabel(n)}
                    </option>
                  ))}
                </select>
                <Button
                  id={`${prefix}-add`}
                  disabled={!adding}
                  onClick={() => {
                    setDrafts([...drafts, entryDraft(kind, null, adding)]);
                    setAdding("");
                  }}
                >
                  {t("courtesy.addNumber")}
                </Button>
              </>
            )}
          </div>
          <div className="admin-form-actions">
            <Button id={`${prefix}s-save`} type="submit" variant="primary" disabled={saving || !dirty}>
              {t("courtesy.save")}
            </Button>
            <Button
              id={`${prefix}s-revert`}
              variant="ghost"
              disabled={saving || !dirty}
              onClick={() => {
                setDrafts((saved ?? []).map((s) => entryDraft(kind, s)));
                setTried(false);
                setError(null);
              }}
            >
              {t("calendar.revert")}
            </Button>
          </div>
          {error && (
            <p id={`${prefix}s-error`} className="load-error" role="alert" dir="auto">
              {error}
            </p>
          )}
          {status && (
            <p id={`${prefix}s-status`} className="admin-note" role="status">
              {status}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
