import { useState } from "react";
import type { ExportSummary } from "../../bindings/ExportSummary";
import type { ReportQuery } from "../../bindings/ReportQuery";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { formatCount } from "./reportModel";

type Saving = { kind: "idle" } | { kind: "running"; rows: number } | { kind: "done"; summary: ExportSummary } | { kind: "failed"; message: string };

/**
 * Saves the report on screen as the server's CSV into the downloads folder (as exports do),
 * saying how far it got and, when done, where the file is.
 */
export function SaveReportCsv({ query }: { query: ReportQuery | null }) {
  const [saving, setSaving] = useState<Saving>({ kind: "idle" });
  const running = saving.kind === "running";

  useDesktopEvent((e) => {
    if (e.type !== "export_progress") return;
    setSaving((s) => (s.kind === "running" ? { kind: "running", rows: e.rows } : s));
  });

  function save() {
    if (query === null) return;
    setSaving({ kind: "running", rows: 0 });
    call("save_report_csv", query).then(
      (summary) => setSaving({ kind: "done", summary }),
      (err: unknown) => setSaving({ kind: "failed", message: toIpcError(err).message }),
    );
  }

  return (
    <div className="report-save">
      <Button id="report-save-csv" variant="secondary" disabled={running || query === null} aria-busy={running} onClick={save}>
        {running ? t("reports.csv.saving") : t("reports.csv.save")}
      </Button>
      {saving.kind === "running" && (
        <span id="report-save-progress" role="status">
          <progress aria-label={t("reports.csv.saving")} /> {t("reports.csv.rows", { count: saving.rows, shown: formatCount(saving.rows) })}
        </span>
      )}
      {saving.kind === "done" && (
        <span id="report-saved" role="status">
          {t("reports.csv.saved", { count: saving.summary.rows, shown: formatCount(saving.summary.rows) })} <bdi dir="ltr">{saving.summary.path}</bdi>
        </span>
      )}
      {saving.kind === "failed" && (
        <span id="report-save-error" className="load-error" role="alert" dir="auto">
          {t("reports.csv.failed", { message: saving.message })}
        </span>
      )}
    </div>
  );
}
