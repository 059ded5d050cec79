import { t } from "../../i18n";
import { CONTACT_FIELDS, type ParameterForm, type Problem } from "./broadcastModel";

const FIELD_LABELS = {
  name: "broadcasts.field.name",
  wa_id: "broadcasts.field.waId",
  country: "broadcasts.field.country",
  language: "broadcasts.field.language",
} as const;

type Props = {
  parameters: ParameterForm[];
  onChange: (parameters: ParameterForm[]) => void;
  problems: Problem[];
};

/** Which attribute the select shows: a contact field, or "custom" for an attribute key. */
function choiceOf(p: ParameterForm): string {
  if (p.kind === "fixed") return "fixed";
  return (CONTACT_FIELDS as readonly string[]).includes(p.attribute) ? p.attribute : "custom";
}

/**
 * Where each `{{n}}` of the template takes its text from: a contact field or custom attribute
 * (with a fallback for contacts who lack it; without one they are left out), or a fixed text.
 */
export function ParameterSources({ parameters, onChange, problems }: Props) {
  if (parameters.length === 0) return <p className="admin-note">{t("broadcasts.parameters.none")}</p>;
  const set = (index: number, next: Partial<ParameterForm>) => onChange(parameters.map((p, i) => (i === index ? { ...p, ...next } : p)));
  return (
    <fieldset className="broadcast-parameters">
      <legend>{t("broadcasts.parameters")}</legend>
      {parameters.map((p, index) => {
        const n = index + 1;
        const id = `broadcast-parameter-${n}`;
        const choice = choiceOf(p);
        const problem = problems.find((x) => x.field === `parameter-${n}`);
        return (
          <div key={n} className="broadcast-parameter" role="group" aria-label={t("broadcasts.parameter", { n })}>
            <div className="automation-field">
              <label htmlFor={`${id}-source`}>{t("broadcasts.parameter.source", { n })}</label>
              <select
                id={`${id}-source`}
                value={choice}
                onChange={(e) => {
                  const value = e.target.value;
                  if (value === "fixed") set(index, { kind: "fixed" });
                  else if (value === "custom") set(index, { kind: "attribute", attribute: choice === "custom" ? p.attribute : "" });
                  else set(index, { kind: "attribute", attribute: value });
                }}
              >
                {CONTACT_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {t(FIELD_LABELS[f])}
                  </option>
                ))}
                <option value="custom">{t("broadcasts.field.custom")}</option>
                <option value="fixed">{t("broadcasts.field.fixed")}</option>
              </select>
            </div>
            {choice === "custom" && (
              <div className="automation-field">
                <label htmlFor={`${id}-attribute`}>{t("broadcasts.parameter.attribute", { n })}</label>
                <input
                  id={`${id}-attribute`}
                  data-field={`parameter-${n}`}
                  value={p.attribute}
                  dir="auto"
                  aria-invalid={problem ? true : undefined}
                  onChange={(e) => set(index, { attribute: e.target.value })}
                />
              </div>
            )}
            {p.kind === "fixed" ? (
              <div className="automation-field">
                <label htmlFor={`${id}-text`}>{t("broadcasts.parameter.text", { n })}</label>
                <input id={`${id}-text`} data-field={`parameter-${n}`} value={p.text} dir="auto" aria-invalid={problem ? true : undefined} onChange={(e) => set(index, { text: e.target.value })} />
              </div>
            ) : (
              <div className="automation-field">
                <label htmlFor={`${id}-fallback`}>{t("broadcasts.parameter.fallback", { n })}</label>
                <input id={`${id}-fallback`} value={p.fallback} dir="auto" onChange={(e) => set(index, { fallback: e.target.value })} />
                <span className="admin-note">{t("broadcasts.parameter.fallbackHint")}</span>
              </div>
            )}
            {problem && (
              <p className="automation-problem" role="alert">
                {t(problem.key, problem.params)}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
