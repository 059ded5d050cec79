import { useState } from "react";
import type { ContactImportProgress } from "../../bindings/ContactImportProgress";
import type { ContactImportReport } from "../../bindings/ContactImportReport";
import { Button } from "../../components/Button";
import { intlLocale, t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { ContactExport } from "./ContactExport";
import { ImportReport } from "./ImportReport";
import { countRecords, countryOption, importShare } from "./importModel";
import type { TagCatalogue } from "./tagColours";

type Run =
  | { kind: "idle" }
  | { kind: "running"; dryRun: boolean; progress: ContactImportProgress }
  | { kind: "done"; report: ContactImportReport }
  | { kind: "failed"; message: string };

const NO_PROGRESS: ContactImportProgress = { rows: 0, created: 0, updated: 0, unchanged: 0, problems: 0 };

/**
 * Contact lists from an earlier system: choose a CSV file, preview it (a dry run writes
 * nothing), import it with a progress bar, then read what happened and which rows were
 * skipped and why. Exports of all contacts or one tag sit below.
 */
export function ImportPanel({ catalogue }: { catalogue: TagCatalogue }) {
  const [file, setFile] = useState<{ name: string; text: string; records: number } | null>(null);
  const [country, setCountry] = useState("");
  const [tag, setTag] = useState("");
  const [run, setRun] = useState<Run>({ kind: "idle" });

  useDesktopEvent((e) => {
    if (e.type !== "contact_import_progress") return;
    setRun((r) => (r.kind === "running" ? { ...r, progress: e.progress } : r));
  });

  async function choose(chosen: File | undefined) {
    setRun({ kind: "idle" });
    if (!chosen) return setFile(null);
    const text = await chosen.text();
    setFile({ name: chosen.name, text, records: countRecords(text) });
  }

  const defaultCountry = countryOption(country);
  const running = run.kind === "running";

  async function start(dryRun: boolean) {
    if (!file || defaultCountry === null) return;
    setRun({ kind: "running", dryRun, progress: NO_PROGRESS });
    try {
      const report = await call("import_contacts", {
        csv: file.text,
        dry_run: dryRun,
        ...(defaultCountry ? { default_country: defaultCountry } : {}),
        ...(tag.trim() ? { tag: tag.trim() } : {}),
      });
      setRun({ kind: "done", report });
      if (!dryRun) catalogue.reload();
    } catch (err) {
      setRun({ kind: "failed", message: toIpcError(err).message });
    }
  }

  const count = new Intl.NumberFormat(intlLocale());
  const share = run.kind === "running" && file ? importShare(run.progress, file.records) : null;
  return (
    <>
      <section id="contact-import" className="board-section admin-panel" aria-labelledby="contact-import-title" aria-busy={running}>
        <h2 id="contact-import-title" className="board-title">
          {t("contacts.importTitle")}
        </h2>
        <p className="admin-note">{t("contacts.importNote")}</p>
        <div className="admin-fields contact-import-fields">
          <label className="automation-field">
            {t("contacts.importFile")}
            <input id="contact-import-file" type="file" accept=".csv,text/csv" disabled={running} onChange={(e) => void choose(e.target.files?.[0])} />
          </label>
          <div className="automation-field">
            <label htmlFor="contact-import-country">{t("contacts.importCountry")}</label>
            <input
              id="contact-import-country"
              dir="ltr"
              maxLength={2}
              size={3}
              value={country}
              placeholder="SA"
              aria-invalid={defaultCountry === null ? true : undefined}
              aria-describedby="contact-import-country-hint"
              onChange={(e) => setCountry(e.target.value.toUpperCase())}
            />
            <span id="contact-import-country-hint" className={defaultCountry === null ? "automation-problem" : "admin-note"}>
              {defaultCountry === null ? t("contacts.problem.country") : t("contacts.importCountryHint")}
            </span>
          </div>
          <label className="automation-field">
            {t("contacts.importTag")}
            <input id="contact-import-tag" dir="auto" maxLength={40} value={tag} list="contact-import-tags" onChange={(e) => setTag(e.target.value)} />
            <datalist id="contact-import-tags">
              {(catalogue.tags ?? []).map((info) => (
                <option key={info.name} value={info.name} />
              ))}
            </datalist>
          </label>
        </div>
        {file && (
          <p id="contact-import-chosen" className="admin-note">
            {t("contacts.importChosen", { name: file.name, count: file.records, shown: count.format(file.records) })}
          </p>
        )}
        <div className="admin-form-actions">
          <Button id="contact-import-preview" disabled={!file || running || defaultCountry === null} onClick={() => void start(true)}>
            {t("contacts.importPreview")}
          </Button>
          <Button id="contact-import-run" variant="primary" disabled={!file || running || defaultCountry === null} onClick={() => void start(false)}>
            {t("contacts.importRun")}
          </Button>
        </div>
        {run.kind === "running" && (
          <div id="contact-import-running" className="contact-import-progress" role="status">
            <progress id="contact-import-progress" max={1} value={share ?? undefined} aria-label={t("contacts.importProgressLabel")} />{" "}
            {t(run.dryRun ? "contacts.importCheckingProgress" : "contacts.importProgress", {
              rows: count.format(run.progress.rows),
              total: count.format(file?.records ?? 0),
              problems: count.format(run.progress.problems),
            })}
          </div>
        )}
        {run.kind === "done" && <ImportReport report={run.report} />}
        {run.kind === "failed" && (
          <p id="contact-import-error" className="load-error" role="alert" dir="auto">
            {run.message}
          </p>
        )}
      </section>
      <ContactExport catalogue={catalogue} />
    </>
  );
}
