import { useState } from "react";
import type { CsvImportReport } from "../../bindings/CsvImportReport";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";

type Props = {
  /** The version an import replaces; the server refuses it if someone saved meanwhile. */
  basedOn: number;
  /** A list was saved as the policy's new version. */
  onSaved: () => void;
};

/** Offers `text` as a file download (the app has no file-system access of its own). */
function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** CSV lists: export the policy, and import one with a preview (dry run) before saving. */
export function CsvPanel({ basedOn, onSaved }: Props) {
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<CsvImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (err) {
      setError(toIpcError(err).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function choose(file: File | undefined) {
    setPreview(null);
    setSaved(null);
    if (!file) return setCsv(null);
    const text = await file.text();
    setCsv({ name: file.name, text });
    const report = await run(() => call("import_filter_csv", { csv: text, dry_run: true, based_on: basedOn }));
    if (report) setPreview(report);
  }

  async function save() {
    if (!csv) return;
    const report = await run(() => call("import_filter_csv", { csv: csv.text, dry_run: false, based_on: basedOn }));
    if (!report) return;
    setPreview(report);
    if (report.saved_version !== null) {
      setSaved(report.saved_version);
      onSaved();
    }
  }

  async function exportCsv() {
    const text = await run(() => call("export_filter_csv", null));
    if (text !== undefined) download(text, `filter-policy-v${basedOn}.csv`);
  }

  const canSave = !!csv && !!preview && preview.errors.length === 0 && preview.saved_version === null && !busy;
  return (
    <section className="filter-section" aria-labelledby="filter-csv-title">
      <h3 id="filter-csv-title">{t("filter.csv")}</h3>
      <div className="filter-csv-actions">
        <Button id="filter-export" onClick={() => void exportCsv()} disabled={busy}>
          {t("filter.export")}
        </Button>
        <label className="filter-file">
          {t("filter.import")}{" "}
          <input id="filter-import-file" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
        </label>
      </div>
      <p className="filter-hint">{t("filter.csvHint")}</p>
      {error && (
        <p id="filter-csv-error" className="filter-notice notice-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div id="filter-csv-preview">
          <p>{t("filter.csvSummary", { entries: preview.entries.length, allowlist: preview.allowlist.length, errors: preview.errors.length })}</p>
          {preview.errors.length > 0 && (
            <ul id="filter-csv-errors" className="filter-errors">
              {preview.errors.map((e) => (
                <li key={`${e.line}-${e.message}`} className="csv-error" data-line={e.line}>
                  {t("filter.csvLine", { line: e.line, message: e.message })}
                </li>
              ))}
            </ul>
          )}
          {saved !== null ? (
            <p id="filter-csv-saved" role="status">
              {t("filter.savedVersion", { version: saved })}
            </p>
          ) : (
            <Button id="filter-import-save" variant="primary" disabled={!canSave} onClick={() => void save()}>
              {t("filter.importSave")}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
