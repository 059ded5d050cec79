import { Button } from "../../components/Button";
import { t } from "../../i18n";
import type { AttributeRow, DraftProblem } from "./contactModel";

type Props = { rows: AttributeRow[]; problems: DraftProblem[]; onChange: (rows: AttributeRow[]) => void };

/** Custom fields as name/value rows (template parameters and segments read them by name). */
export function AttributeRows({ rows, problems, onChange }: Props) {
  const set = (index: number, next: Partial<AttributeRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...next } : row)));
  return (
    <fieldset id="contact-attributes" className="contact-attributes">
      <legend>{t("contacts.attributes")}</legend>
      {rows.length === 0 && <p className="admin-note">{t("contacts.noAttributes")}</p>}
      {rows.map((row, index) => {
        const problem = problems.find((p): p is Exclude<DraftProblem, { kind: "consent_day" }> => p.kind !== "consent_day" && p.row === index);
        const problemId = `contact-attribute-problem-${index}`;
        return (
          <div key={index} className="contact-attribute" data-index={index}>
            <input
              dir="auto"
              value={row.key}
              aria-label={t("contacts.attributeName", { number: index + 1 })}
              placeholder={t("contacts.attributeNamePlaceholder")}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? problemId : undefined}
              onChange={(e) => set(index, { key: e.target.value })}
            />
            <input
              dir="auto"
              value={row.value}
              aria-label={t("contacts.attributeValue", { number: index + 1 })}
              onChange={(e) => set(index, { value: e.target.value })}
            />
            <Button variant="ghost" aria-label={t("contacts.attributeRemove", { number: index + 1 })} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              ×
            </Button>
            {problem && (
              <span id={problemId} className="automation-problem">
                {problem.kind === "attribute_twice" ? t("contacts.problem.attributeTwice", { key: problem.key }) : t("contacts.problem.attributeKey")}
              </span>
            )}
          </div>
        );
      })}
      <Button id="contact-attribute-add" variant="ghost" onClick={() => onChange([...rows, { key: "", value: "" }])}>
        {t("contacts.attributeAdd")}
      </Button>
    </fieldset>
  );
}
