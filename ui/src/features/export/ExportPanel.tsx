import { useEffect, useState } from "react";
import type { AgentSummary } from "../../bindings/AgentSummary";
import type { ExportSummary } from "../../bindings/ExportSummary";
import type { NumberSummary } from "../../bindings/NumberSummary";
import { Button } from "../../components/Button";
import { intlLocale, t, useLocale } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { EMPTY_FORM, exportRequest, formProblem, fraction, type ExportForm } from "./exportModel";
import "./export.css";

type Progress =
  | { kind: "idle" }
  | { kind: "running"; rows: number; total: number | null }
  | { kind: "done"; summary: ExportSummary }
  | { kind: "failed"; message: string };

/**
 * Supervisors and admins: messages or conversations, filtered by business number, days and
 * agent, saved as CSV or JSON Lines into the downloads folder, with progress while it runs.
 */
export function ExportPanel() {
  useLocale();
  const [form, setForm] = useState<ExportForm>(EMPTY_FORM);
  const [agents, setAgents] = useState<AgentSummary[]>([]);
  const [numbers, setNumbers] = useState<NumberSummary[]>([]);
  const [progress, setProgress] = useState<Progress>({ kind: "idle" });

  useEffect(() => {
    let live = true;
    // Both lists only help to fill in the form: without them the fields still take text.
    call("transfer_targets", null).then(
      (targets) => live && setAgents(targets.agents),
      () => {},
    );
    call("business_numbers", null).then(
      (list) => live && setNumbers(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);

  useDesktopEvent((e) => {
    if (e.type !== "export_progress") return;
    setProgress((p) => (p.kind === "running" ? { kind: "running", rows: e.rows, total: e.total } : p));
  });

  const running = progress.kind === "running";
  const problem = formProblem(form);
  const count = new Intl.NumberFormat(intlLocale());
  const change = (patch: Partial<ExportForm>) => setForm((f) => ({ ...f, ...patch }));

  function start() {
    setProgress({ kind: "running", rows: 0, total: null });
    call("export_records", exportRequest(form)).then(
      (summary) => setProgress({ kind: "done", summary }),
      (err: unknown) => setProgress({ kind: "failed", message: toIpcError(err).message }),
    );
  }

  const share = progress.kind === "running" ? fraction(progress.rows, progress.total) : null;
  return (
    <section id="export-panel" className="board-section export-panel" aria-labelledby="export-title" aria-busy={running}>
      <h2 id="export-title" className="board-title">
        {t("export.title")}
      </h2>
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!running && !problem) start();
        }}
      >
        <label>
          {t("export.records")}
          <select id="export-records" value={form.records} onChange={(e) => change({ records: e.target.value as ExportForm["records"] })}>
            <option value="messages">{t("export.records.messages")}</option>
            <option value="conversations">{t("export.records.conversations")}</option>
          </select>
        </label>
        <label>
          {t("export.format")}
          <select id="export-format" value={form.format} onChange={(e) => change({ format: e.target.value as ExportForm["format"] })}>
            <option value="csv">{t("export.format.csv")}</option>
            <option value="jsonl">{t("export.format.jsonl")}</option>
          </select>
        </label>
        <label>
          {t("export.number")}
          <input
            id="export-number"
            type="text"
            dir="ltr"
            list="export-numbers"
            value={form.number}
            placeholder={t("export.anyNumber")}
            onChange={(e) => change({ number: e.target.value })}
          />
        </label>
        <datalist id="export-numbers">
          {numbers.map((n) => (
            <option key={n.phone_number_id} value={n.display_number}>
              {n.name}
            </option>
          ))}
        </datalist>
        <label>
          {t("export.from")}
          <input id="export-from" type="date" value={form.fromDay} onChange={(e) => change({ fromDay: e.target.value })} />
        </label>
        <label>
          {t("export.to")}
          <input id="export-to" type="date" value={form.toDay} onChange={(e) => change({ toDay: e.target.value })} />
        </label>
        <label>
          {t("export.agent")}
          <select id="export-agent" value={form.agent} onChange={(e) => change({ agent: e.target.value })}>
            <option value="">{t("export.anyAgent")}</option>
            {agents.map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.display_name}
              </option>
            ))}
          </select>
        </label>
        <Button id="export-start" type="submit" variant="primary" disabled={running || problem !== null}>
          {running ? t("export.running") : t("export.start")}
        </Button>
      </form>
      <p className="export-hint">{t("export.hint")}</p>
      {problem && (
        <p className="form-error export-line" role="alert">
          {t(problem)}
        </p>
      )}
      {progress.kind === "running" && (
        <div className="export-line" role="status">
          <progress id="export-progress" max={1} value={share ?? undefined} aria-label={t("export.progressLabel")} />{" "}
          {progress.total === null
            ? t("export.starting")
            : t("export.progress", { rows: count.format(progress.rows), total: count.format(progress.total) })}
        </div>
      )}
      {progress.kind === "done" && (
        <p id="export-result" className="export-line" role="status">
          {t("export.done", { count: progress.summary.rows })} <bdi dir="ltr">{progress.summary.path}</bdi>
          {progress.summary.expected !== null && progress.summary.expected !== progress.summary.rows && (
            <> {t("export.differs", { expected: count.format(progress.summary.expected) })}</>
          )}
        </p>
      )}
      {progress.kind === "failed" && (
        <p id="export-error" className="load-error export-line" role="alert">
          {t("export.failed", { message: progress.message })}
        </p>
      )}
    </section>
  );
}
