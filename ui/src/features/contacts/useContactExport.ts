import { useState } from "react";
import type { ContactExportRequest } from "../../bindings/ContactExportRequest";
import type { ExportSummary } from "../../bindings/ExportSummary";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";

export type ContactExportState =
  | { kind: "idle" }
  | { kind: "running"; rows: number; total: number | null }
  | { kind: "done"; summary: ExportSummary }
  | { kind: "failed"; message: string };

/** Saves contacts as CSV into the downloads folder, following the download's progress. */
export function useContactExport(): { state: ContactExportState; start: (request: ContactExportRequest) => void } {
  const [state, setState] = useState<ContactExportState>({ kind: "idle" });
  useDesktopEvent((e) => {
    if (e.type !== "export_progress") return;
    setState((s) => (s.kind === "running" ? { kind: "running", rows: e.rows, total: e.total } : s));
  });
  function start(request: ContactExportRequest) {
    setState({ kind: "running", rows: 0, total: null });
    call("export_contacts", request).then(
      (summary) => setState({ kind: "done", summary }),
      (err: unknown) => setState({ kind: "failed", message: toIpcError(err).message }),
    );
  }
  return { state, start };
}
