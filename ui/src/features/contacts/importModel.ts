import type { ContactImportProgress } from "../../bindings/ContactImportProgress";

/**
 * Records in a CSV text, the header not counted: line breaks inside quoted cells do not end a
 * record, and blank lines are not records. Used only to size the progress bar; the server's
 * count is the one reported.
 */
export function countRecords(csv: string): number {
  let records = 0;
  let inQuotes = false;
  let content = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (c === '"') {
      inQuotes = !inQuotes;
      content = true;
    } else if ((c === "\n" || c === "\r") && !inQuotes) {
      if (content) records++;
      content = false;
      if (c === "\r" && csv[i + 1] === "\n") i++;
    } else if (c !== "\uFEFF" && !(c === " " || c === "\t")) {
      content = true;
    }
  }
  if (content) records++;
  return Math.max(0, records - 1);
}

/** How far along, 0 to 1, or null while unknown. */
export function importShare(progress: ContactImportProgress, expected: number): number | null {
  if (expected <= 0) return null;
  return Math.min(1, progress.rows / expected);
}

/** A two-letter country as typed, or "" when none; `null` when it is not two letters. */
export function countryOption(text: string): string | null {
  const code = text.trim().toUpperCase();
  if (!code) return "";
  return /^[A-Z]{2}$/.test(code) ? code : null;
}
