import { useRef, type FormEvent } from "react";
import type { SegmentSummary } from "../../bindings/SegmentSummary";
import { Button } from "../../components/Button";
import { intlLocale, t } from "../../i18n";
import { contactName, contactNumber } from "./contactModel";
import { markColumn, offsetOfColumn } from "./segmentModel";
import { useSegmentCheck } from "./useSegmentCheck";

/** A segment as the form edits it. */
export type SegmentDraft = { original: SegmentSummary | null; name: string; expression: string; description: string };

type Props = {
  draft: SegmentDraft;
  onChange: (draft: SegmentDraft) => void;
  onSave: () => void;
  onCancel: () => void;
  saving: boolean;
  /** The name is taken by another segment (a new one only). */
  taken: boolean;
  tried: boolean;
  error: string | null;
};

/**
 * The segment editor: name, expression and description, with the live count of the expression
 * as it is typed, a few of its members, and the server's problem marked at its column.
 */
export function SegmentEditor({ draft, onChange, onSave, onCancel, saving, taken, tried, error }: Props) {
  const box = useRef<HTMLTextAreaElement>(null);
  const check = useSegmentCheck(draft.expression);
  const count = new Intl.NumberFormat(intlLocale());
  const problem = check.kind === "checked" ? check.check.problem : null;
  const counted = check.kind === "checked" ? check.check.count : null;
  const name = draft.name.trim();
  const nameProblem = tried && (name.length === 0 || [...name].length > 80);

  function submit(e: FormEvent) {
    e.preventDefault();
    onSave();
  }

  function goToProblem() {
    if (!problem || !box.current) return;
    const at = offsetOfColumn(draft.expression, problem.column);
    box.current.focus();
    box.current.setSelectionRange(at, at + 1);
  }

  const marked = problem && check.kind === "checked" ? markColumn(draft.expression, problem.column) : null;
  return (
    <form id="segment-form" className="admin-form segment-editor" onSubmit={submit} noValidate aria-labelledby="segment-form-title">
      <h3 id="segment-form-title" className="admin-subtitle" dir="auto">
        {draft.original ? t("contacts.segmentEditTitle", { name: draft.original.name }) : t("contacts.segmentNewTitle")}
      </h3>
      <div className="automation-field">
        <label htmlFor="segment-name">{t("contacts.segmentName")}</label>
        <input
          id="segment-name"
          dir="auto"
          autoComplete="off"
          maxLength={80}
          value={draft.name}
          readOnly={draft.original !== null}
          aria-invalid={nameProblem || taken ? true : undefined}
          aria-describedby={nameProblem || taken ? "segment-name-problem" : undefined}
          onChange={(e) => onChange({ ...draft, name: e.target.value })}
        />
        {(nameProblem || taken) && (
          <span id="segment-name-problem" className="automation-problem">
            {taken ? t("contacts.segmentTaken", { name }) : t("contacts.segmentNameProblem")}
          </span>
        )}
      </div>
      <div className="automation-block-field">
        <label htmlFor="segment-expression">{t("contacts.segmentExpression")}</label>
        <textarea
          id="segment-expression"
          ref={box}
          className="segment-expression"
          dir="ltr"
          rows={3}
          spellCheck={false}
          value={draft.expression}
          aria-invalid={problem ? true : undefined}
          aria-describedby={["segment-expression-hint", problem ? "segment-problem" : null].filter(Boolean).join(" ")}
          onChange={(e) => onChange({ ...draft, expression: e.target.value })}
        />
        <span id="segment-expression-hint" className="admin-note">
          {t("contacts.segmentHint")}
        </span>
      </div>
      <div id="segment-live" className="segment-live" aria-live="polite">
        {check.kind === "checking" && <p className="admin-note">{t("contacts.segmentCounting")}</p>}
        {check.kind === "failed" && (
          <p className="load-error" role="alert" dir="auto">
            {check.message}
          </p>
        )}
        {counted && (
          <>
            <p id="segment-count" className="segment-count" data-count={counted.count}>
              {t("contacts.segmentCount", { count: counted.count, shown: count.format(counted.count) })}
              {counted.opted_out_excluded > 0 && <> {t("contacts.segmentOptedOut", { shown: count.format(counted.opted_out_excluded) })}</>}
            </p>
            {counted.sample.length > 0 && (
              <ul id="segment-sample" className="segment-sample" aria-label={t("contacts.segmentSample")}>
                {counted.sample.map((member) => (
                  <li key={member.id} dir="auto">
                    {contactName({ name: member.name, wa_id: member.wa_id, user_id: null })}{" "}
                    {member.name && <bdi dir="ltr">{contactNumber({ wa_id: member.wa_id, user_id: null }) ?? ""}</bdi>} {member.country ?? ""}
                    {member.opted_out && <span className="contact-opted-out"> {t("contacts.optedOut")}</span>}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {problem && marked && (
          <div id="segment-problem" className="segment-problem" data-column={problem.column} data-code={problem.code} role="alert">
            <p className="automation-problem" dir="auto">
              {problem.message}
            </p>
            <pre className="segment-marked" dir="ltr" aria-hidden="true">
              {marked.before}
              <mark>{marked.at || " "}</mark>
              {marked.after}
            </pre>
            <Button variant="ghost" onClick={goToProblem}>
              {t("contacts.segmentGoToProblem", { column: problem.column })}
            </Button>
          </div>
        )}
      </div>
      <div className="automation-block-field">
        <label htmlFor="segment-description">{t("contacts.segmentDescription")}</label>
        <textarea id="segment-description" dir="auto" rows={2} maxLength={500} value={draft.description} onChange={(e) => onChange({ ...draft, description: e.target.value })} />
      </div>
      <div className="admin-form-actions">
        <Button id="segment-save" type="submit" variant="primary" disabled={saving}>
          {t("contacts.segmentSave")}
        </Button>
        <Button id="segment-cancel" variant="ghost" onClick={onCancel}>
          {t("contacts.cancel")}
        </Button>
      </div>
      {error && (
        <p id="segment-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
    </form>
  );
}
