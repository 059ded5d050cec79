import { useState } from "react";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { ExportStatus } from "./ExportStatus";
import type { TagCatalogue } from "./tagColours";
import { useContactExport } from "./useContactExport";

/** Every contact, or those with one tag, as a CSV file the import reads back. */
export function ContactExport({ catalogue }: { catalogue: TagCatalogue }) {
  const [tag, setTag] = useState("");
  const { state, start } = useContactExport();
  return (
    <section id="contact-export" className="board-section admin-panel" aria-labelledby="contact-export-title">
      <h2 id="contact-export-title" className="board-title">
        {t("contacts.exportTitle")}
      </h2>
      <p className="admin-note">{t("contacts.exportNote")}</p>
      <div className="admin-form-actions">
        <label className="automation-field">
          {t("contacts.exportWhich")}
          <select id="contact-export-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">{t("contacts.exportAll")}</option>
            {(catalogue.tags ?? []).map((info) => (
              <option key={info.name} value={info.name}>
                {t("contacts.exportTagged", { tag: info.name })}
              </option>
            ))}
          </select>
        </label>
        <Button id="contact-export-start" variant="primary" disabled={state.kind === "running"} onClick={() => start(tag ? { tag } : {})}>
          {t("contacts.exportStart")}
        </Button>
      </div>
      <ExportStatus state={state} id="contact-export" />
    </section>
  );
}
