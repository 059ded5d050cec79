import { useEffect, useState } from "react";
import type { TemplateSummary } from "../../bindings/TemplateSummary";
import { Button } from "../../components/Button";
import { t, useLocale } from "../../i18n";
import type { KnownNumber } from "../automation/autoReplyModel";
import { numberLabel } from "../automation/CalendarsPanel";
import { keepDraft, useUnsavedWarning } from "../automation/keptDrafts";
import { fitParameters, formatCount, isDirty, localZone, problems, templateKey, type BroadcastForm, type FormField } from "./broadcastModel";
import { ParameterSources } from "./ParameterSources";

export type SegmentChoice = { name: string; description: string | null; count: number | null };

/** The live count of an audience: contacts it names now, or the server's refusal. */
export type AudienceCount = { count: number; optedOut: number } | { error: string };

type Props = {
  /** Where unsaved edits are kept between visits (keptDrafts). */
  keptKey: string;
  /** The saved form, to tell whether there are unsaved edits. */
  saved: BroadcastForm;
  form: BroadcastForm;
  onChange: (form: BroadcastForm) => void;
  templates: readonly TemplateSummary[] | null;
  segments: readonly SegmentChoice[] | null;
  numbers: readonly KnownNumber[];
  countAudience: (kind: "segment" | "expression", audience: string) => Promise<AudienceCount>;
  onSave: () => void;
  onDelete: (() => void) | null;
  saving: boolean;
  error: string | null;
  /** The moment checks compare a schedule with. */
  now: number;
};

const COUNT_DELAY_MS = 400;

/**
 * A broadcast draft: its name, who it goes to (a saved segment or an expression, with the
 * live count), the approved template and where each of its parameters comes from, the numbers
 * it is sent from, and when it should start (in the admin's time zone).
 */
export function BroadcastComposer(props: Props) {
  const { keptKey, saved, form, onChange, templates, segments, numbers, countAudience, onSave, onDelete, saving, error, now } = props;
  useLocale();
  const [shown, setShown] = useState(false);
  // The last count read, with the audience it is of: a count of another audience is not shown.
  const [counted, setCounted] = useState<{ of: string; answer: AudienceCount } | null>(null);
  const dirty = isDirty(form, saved);
  const zone = localZone();
  const found = problems(form, templates, now, zone);
  const problemOf = (field: FormField) => (shown ? found.find((p) => p.field === field) : undefined);
  const template = templates?.find((tm) => templateKey(tm) === form.template) ?? null;

  useEffect(() => {
    keepDraft(keptKey, dirty ? form : null);
  }, [keptKey, dirty, form]);
  useUnsavedWarning(dirty);

  const audience = form.audienceKind === "segment" ? form.segment : form.expression.trim();
  const audienceKey = `${form.audienceKind}:${audience}`;
  const count = counted?.of === audienceKey ? counted.answer : null;
  useEffect(() => {
    if (!audience) return;
    let current = true;
    const timer = setTimeout(() => {
      void countAudience(form.audienceKind, audience).then((answer) => current && setCounted({ of: `${form.audienceKind}:${audience}`, answer }));
    }, COUNT_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [form.audienceKind, audience, countAudience]);

  const set = (next: Partial<BroadcastForm>) => onChange({ ...form, ...next });

  function save() {
    setShown(true);
    if (found.length > 0) {
      document.querySelector<HTMLElement>(`[data-field="${found[0]!.field}"]`)?.focus();
      return;
    }
    onSave();
  }

  const problemText = (field: FormField) => {
    const p = problemOf(field);
    return p ? (
      <p className="automation-problem" id={`broadcast-${field}-problem`}>
        {t(p.key, p.params)}
      </p>
    ) : null;
  };

  return (
    <form
      id="broadcast-composer"
      className="admin-form automation-form broadcast-composer"
      aria-labelledby="broadcast-composer-title"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3 id="broadcast-composer-title" className="admin-subtitle" dir="auto">
        {saved.name ? t("broadcasts.editTitle", { name: saved.name }) : t("broadcasts.newTitle")}
      </h3>
      <div className="automation-field">
        <label htmlFor="broadcast-name">{t("broadcasts.name")}</label>
        <input id="broadcast-name" data-field="name" value={form.name} dir="auto" aria-invalid={problemOf("name") ? true : undefined} onChange={(e) => set({ name: e.target.value })} />
        {problemText("name")}
      </div>

      <fieldset className="automation-inline-choice broadcast-audience-choice">
        <legend>{t("broadcasts.audience")}</legend>
        <label className="automation-check">
          <input type="radio" name="broadcast-audience-kind" checked={form.audienceKind === "segment"} onChange={() => set({ audienceKind: "segment" })} />
          {t("broadcasts.audience.segment")}
        </label>
        <label className="automation-check">
          <input type="radio" name="broadcast-audience-kind" checked={form.audienceKind === "expression"} onChange={() => set({ audienceKind: "expression" })} />
          {t("broadcasts.audience.expression")}
        </label>
        {form.audienceKind === "segment" ? (
          <div className="automation-field">
            <label htmlFor="broadcast-segment">{t("broadcasts.segment")}</label>
            <select id="broadcast-segment" data-field="audience" value={form.segment} aria-invalid={problemOf("audience") ? true : undefined} onChange={(e) => set({ segment: e.target.value })}>
              <option value="">{t("broadcasts.chooseSegment")}</option>
              {(segments ?? []).map((s) => (
                <option key={s.name} value={s.name}>
                  {[s.name, s.description, s.count === null ? null : t("broadcasts.segmentCount", { count: s.count, shown: formatCount(s.count) })].filter(Boolean).join(" — ")}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="automation-field broadcast-expression">
            <label htmlFor="broadcast-expression">{t("broadcasts.expression")}</label>
            <input
              id="broadcast-expression"
              data-field="audience"
              value={form.expression}
              dir="ltr"
              spellCheck={false}
              placeholder="tag:vip AND NOT tag:churned"
              aria-invalid={problemOf("audience") ? true : undefined}
              onChange={(e) => set({ expression: e.target.value })}
            />
          </div>
        )}
        <p id="broadcast-audience-count" className="admin-note" role="status" data-count={count && "count" in count ? count.count : undefined}>
          {!audience ? "" : count === null ? t("broadcasts.counting") : "count" in count ? t("broadcasts.audienceCount", { count: count.count, shown: formatCount(count.count), optedOut: formatCount(count.optedOut) }) : count.error}
        </p>
        {problemText("audience")}
      </fieldset>

      <div className="automation-field">
        <label htmlFor="broadcast-template">{t("broadcasts.template")}</label>
        <select
          id="broadcast-template"
          data-field="template"
          value={form.template}
          aria-invalid={problemOf("template") ? true : undefined}
          onChange={(e) => {
            const next = templates?.find((tm) => templateKey(tm) === e.target.value);
            set({ template: e.target.value, parameters: fitParameters(form.parameters, next?.parameters ?? 0) });
          }}
        >
          <option value="">{t("broadcasts.chooseTemplate")}</option>
          {(templates ?? []).map((tm) => (
            <option key={templateKey(tm)} value={templateKey(tm)}>
              {t("broadcasts.templateOption", { name: tm.name, language: tm.language, category: tm.category })}
            </option>
          ))}
        </select>
        {template && (
          <p className="broadcast-template-body" dir="auto">
            {template.body}
          </p>
        )}
        {problemText("template")}
      </div>

      {form.template && <ParameterSources parameters={form.parameters} onChange={(parameters) => set({ parameters })} problems={shown ? found : []} />}

      <fieldset className="automation-inline-choice broadcast-numbers">
        <legend>{t("broadcasts.numbers")}</legend>
        {numbers.map((n, index) => (
          <label key={n.id} className="automation-check">
            <input
              type="checkbox"
              data-field={index === 0 ? "numbers" : undefined}
              checked={form.numbers.includes(n.id)}
              onChange={(e) => set({ numbers: e.target.checked ? [...form.numbers, n.id] : form.numbers.filter((x) => x !== n.id) })}
            />
            {numberLabel(n)}
          </label>
        ))}
        {problemText("numbers")}
      </fieldset>

      <fieldset className="automation-inline-choice broadcast-when">
        <legend>{t("broadcasts.when")}</legend>
        <label className="automation-check">
          <input type="radio" name="broadcast-when" checked={form.when === "now"} onChange={() => set({ when: "now" })} />
          {t("broadcasts.when.now")}
        </label>
        <label className="automation-check">
          <input type="radio" name="broadcast-when" checked={form.when === "later"} onChange={() => set({ when: "later" })} />
          {t("broadcasts.when.later")}
        </label>
        {form.when === "later" && (
          <div className="automation-field">
            <label htmlFor="broadcast-at">{t("broadcasts.at", { zone })}</label>
            <input id="broadcast-at" data-field="at" type="datetime-local" value={form.at} aria-invalid={problemOf("at") ? true : undefined} onChange={(e) => set({ at: e.target.value })} />
          </div>
        )}
        {problemText("at")}
      </fieldset>

      {error && (
        <p id="broadcast-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      <div className="admin-form-actions">
        <Button id="broadcast-save" type="submit" variant="primary" disabled={saving}>
          {saving ? t("broadcasts.saving") : t("broadcasts.save")}
        </Button>
        {onDelete && (
          <Button id="broadcast-delete" variant="ghost" onClick={onDelete} disabled={saving}>
            {t("broadcasts.delete")}
          </Button>
        )}
        {dirty && <span className="admin-note">{t("broadcasts.unsaved")}</span>}
      </div>
    </form>
  );
}
