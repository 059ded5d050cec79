import type { ExportFormat } from "../../bindings/ExportFormat";
import type { ExportRecords } from "../../bindings/ExportRecords";
import type { ExportRequest } from "../../bindings/ExportRequest";

/** What the export form holds: dates as the date inputs give them (`YYYY-MM-DD`, local days). */
export type ExportForm = {
  records: ExportRecords;
  format: ExportFormat;
  number: string;
  fromDay: string;
  toDay: string;
  /** An agent's user id as the select gives it; "" for any agent. */
  agent: string;
};

export const EMPTY_FORM: ExportForm = { records: "messages", format: "csv", number: "", fromDay: "", toDay: "", agent: "" };

/** Local midnight of a `YYYY-MM-DD` day, `days` later; null for an empty or unreadable day. */
export function dayStart(day: string, days = 0): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match;
  return new Date(Number(y), Number(m) - 1, Number(d) + days).getTime();
}

/** The request for the form; the "to" day is included whole. */
export function exportRequest(form: ExportForm): ExportRequest {
  const agent = form.agent === "" ? null : Number(form.agent);
  return {
    records: form.records,
    format: form.format,
    filter: {
      number: form.number.trim() || null,
      from: dayStart(form.fromDay),
      until: dayStart(form.toDay, 1),
      agent: agent !== null && Number.isFinite(agent) ? agent : null,
      contact: null,
      contact_id: null,
    },
  };
}

/** Why the form cannot be sent, as a string key; null when it can. */
export function formProblem(form: ExportForm): "export.problem.dates" | null {
  const from = dayStart(form.fromDay);
  const until = dayStart(form.toDay, 1);
  if (from !== null && until !== null && from >= until) return "export.problem.dates";
  return null;
}

/** How far an export got, 0 to 1; null while the total is unknown. */
export function fraction(rows: number, total: number | null): number | null {
  if (total === null) return null;
  if (total === 0) return 1;
  return Math.min(1, rows / total);
}

/** The user's time zone, for transcripts; null when the system does not say. */
export function localTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
