import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { keywordsOf, MATCH_MODES, problems, type KnownNumber, type Problem, type RuleDraft } from "./autoReplyModel";
import { ReplyEditor } from "./ReplyEditor";

type Props = {
  draft: RuleDraft;
  onChange: (draft: RuleDraft) => void;
  numbers: KnownNumber[];
  /** Called with a draft that passed the checks here; the server checks again. */
  onSave: () => void;
  onCancel: () => void;
  saving: boolean;
  /** The server's refusal, naming what to fix. */
  error: string | null;
  /** The draft was left unsaved earlier and kept. */
  restored: boolean;
};

/**
 * One rule: its name, the numbers it answers on, its keywords (one per line, so a list of a
 * hundred stays easy to paste and read), how they match, priority, stop-on-match, cooldown,
 * and the reply. Obvious gaps are named before saving; the server's refusal shows below.
 */
export function AutoReplyForm({ draft, onChange, numbers, onSave, onCancel, saving, error, restored }: Props) {
  const [tried, setTried] = useState(false);
  const found = tried ? problems(draft) : [];
  const problemOf = (field: Problem["field"]) => found.find((p) => p.field === field);
  const problemId = (field: Problem["field"]) => (problemOf(field) ? `auto-reply-problem-${field}` : null);
  const keywordCount = keywordsOf(draft).length;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => onChange({ ...draft, [key]: value });
  const editing = draft.original !== null;

  // Bumped on a refused save; the first field to fix takes the keyboard once it is marked.
  const [refusedSaves, setRefusedSaves] = useState(0);
  useEffect(() => {
    if (refusedSaves === 0) return;
    const first = problems(draft)[0]?.field;
    if (first) document.querySelector<HTMLElement>(`[aria-describedby~="auto-reply-problem-${first}"]`)?.focus();
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

  const problem = (field: Problem["field"]) => {
    const p = problemOf(field);
    return p ? (
      <span id={`auto-reply-problem-${field}`} className="automation-problem">
        {t(p.key)}
      </span>
    ) : null;
  };

  return (
    <form id="auto-reply-form" className="admin-form automation-form" onSubmit={submit} aria-labelledby="auto-reply-form-title" noValidate>
      <h3 id="auto-reply-form-title" className="admin-subtitle" dir="auto">
        {editing ? t("automation.rule.editTitle", { name: draft.original!.name }) : t("automation.rule.newTitle")}
      </h3>
      {restored && (
        <p id="auto-reply-restored" className="admin-note" role="status">
          {t("automation.rule.restored")}
        </p>
      )}
      <div className="admin-fields">
        <Field id="auto-reply-name" label={t("automation.rule.name")} problem={problem("name")} wide>
          <input
            id="auto-reply-name"
            dir="auto"
            value={draft.name}
            autoComplete="off"
            aria-invalid={problemOf("name") ? true : undefined}
            aria-describedby={problemId("name") ?? undefined}
            onChange={(e) => set("name", e.target.value)}
          />
        </Field>
        <label className="automation-check">
          <input id="auto-reply-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          {t("automation.rule.enabled")}
        </label>
      </div>

      <fieldset className="admin-numbers-choice" aria-describedby="auto-reply-numbers-hint">
        <legend>{t("automation.rule.numbers")}</legend>
        <p id="auto-reply-numbers-hint" className="admin-note">
          {t("automation.rule.numbersHint")}
        </p>
        {numbers.map((n) => (
          <label key={n.id}>
            <input
              type="checkbox"
              value={n.id}
              checked={draft.numbers.includes(n.id)}
              onChange={(e) => set("numbers", e.target.checked ? [...draft.numbers, n.id] : draft.numbers.filter((x) => x !== n.id))}
            />
            <span dir="auto">{n.name ?? n.id}</span> {n.display && <bdi dir="ltr">{n.display}</bdi>}
          </label>
        ))}
      </fieldset>

      <Field
        id="auto-reply-keywords"
        label={t("automation.rule.keywords")}
        hint={t("automation.rule.keywordsHint")}
        problem={problem("keywords")}
        after={
          <span id="auto-reply-keyword-count" className="admin-tag" aria-live="polite">
            {t("automation.rule.keywordCount", { count: keywordCount })}
          </span>
        }
      >
        <textarea
          id="auto-reply-keywords"
          dir="auto"
          rows={8}
          spellCheck={false}
          value={draft.keywords}
          aria-invalid={problemOf("keywords") ? true : undefined}
          aria-describedby={["auto-reply-keywords-hint", problemId("keywords")].filter(Boolean).join(" ")}
          onChange={(e) => set("keywords", e.target.value)}
        />
      </Field>

      <fieldset className="automation-modes">
        <legend>{t("automation.rule.mode")}</legend>
        {MATCH_MODES.map((mode) => (
          <div key={mode} className="admin-permission">
            <input
              id={`auto-reply-mode-${mode}`}
              type="radio"
              name="auto-reply-mode"
              value={mode}
              checked={draft.mode === mode}
              aria-describedby={`auto-reply-mode-${mode}-hint`}
              onChange={() => set("mode", mode)}
            />
            <label htmlFor={`auto-reply-mode-${mode}`}>{t(`automation.mode.${mode}`)}</label>
            <span id={`auto-reply-mode-${mode}-hint`} className="admin-permission-hint">
              {t(`automation.mode.${mode}.hint`)}
            </span>
          </div>
        ))}
      </fieldset>

      <div className="admin-fields">
        <Field id="auto-reply-priority" label={t("automation.rule.priority")} hint={t("automation.rule.priorityHint")} problem={problem("priority")}>
          <input
            id="auto-reply-priority"
            type="number"
            step={1}
            inputMode="numeric"
            value={draft.priority}
            aria-invalid={problemOf("priority") ? true : undefined}
            aria-describedby={["auto-reply-priority-hint", problemId("priority")].filter(Boolean).join(" ")}
            onChange={(e) => set("priority", e.target.value)}
          />
        </Field>
        <Field id="auto-reply-cooldown" label={t("automation.rule.cooldown")} hint={t("automation.rule.cooldownHint")} problem={problem("cooldown")}>
          <input
            id="auto-reply-cooldown"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={draft.cooldown}
            aria-invalid={problemOf("cooldown") ? true : undefined}
            aria-describedby={["auto-reply-cooldown-hint", problemId("cooldown")].filter(Boolean).join(" ")}
            onChange={(e) => set("cooldown", e.target.value)}
          />
        </Field>
        <div className="automation-field">
          <label className="automation-check">
            <input
              id="auto-reply-stop"
              type="checkbox"
              checked={draft.stopOnMatch}
              aria-describedby="auto-reply-stop-hint"
              onChange={(e) => set("stopOnMatch", e.target.checked)}
            />
            {t("automation.rule.stopOnMatch")}
          </label>
          <span id="auto-reply-stop-hint" className="admin-note">
            {t("automation.rule.stopOnMatchHint")}
          </span>
        </div>
      </div>

      <ReplyEditor reply={draft.reply} onChange={(reply) => set("reply", reply)} problemId={problemId("reply")} />
      {problem("reply")}

      {error && (
        <p id="auto-reply-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {found.length > 0 && (
        <p id="auto-reply-problems" className="load-error" role="alert">
          {t("automation.rule.fixFirst", { count: found.length })}
        </p>
      )}
      <div className="admin-form-actions">
        <Button id="auto-reply-save" type="submit" variant="primary" disabled={saving}>
          {saving ? t("automation.rule.saving") : t("automation.rule.save")}
        </Button>
        <Button id="auto-reply-cancel" variant="ghost" disabled={saving} onClick={onCancel}>
          {t("automation.rule.cancel")}
        </Button>
      </div>
    </form>
  );
}

type FieldProps = {
  id: string;
  label: string;
  hint?: string;
  problem?: ReactNode;
  /** Shown beside the label, for example a live count. */
  after?: ReactNode;
  wide?: boolean;
  children: ReactNode;
};

/** A labelled control with its hint (`<id>-hint`) and what to fix, kept out of its name. */
function Field({ id, label, hint, problem, after, wide, children }: FieldProps) {
  return (
    <div className={wide ? "automation-field admin-wide-field" : "automation-field"}>
      <span className="automation-field-label">
        <label htmlFor={id}>{label}</label> {after}
      </span>
      {children}
      {hint && (
        <span id={`${id}-hint`} className="admin-note">
          {hint}
        </span>
      )}
      {problem}
    </div>
  );
}
