import type { PolicyEntry } from "../../bindings/PolicyEntry";

/** How many entries one page of the table shows; policies may hold 10,000. */
export const PAGE_SIZE = 50;

/** An entry with its position in the policy, which survives searching and paging. */
export type IndexedEntry = { index: number; entry: PolicyEntry };

/** Entries whose phrase, action, mode or scopes contain `search` (case-insensitive). */
export function searchEntries(entries: readonly PolicyEntry[], search: string): IndexedEntry[] {
  const needle = search.trim().toLocaleLowerCase();
  const all = entries.map((entry, index) => ({ index, entry }));
  if (!needle) return all;
  return all.filter(({ entry }) =>
    [entry.phrase, entry.action, entry.match_mode, ...(entry.languages ?? []), ...(entry.numbers ?? []), ...(entry.teams ?? [])]
      .some((field) => field.toLocaleLowerCase().includes(needle)),
  );
}

/** Page `page` (0-based, clamped) of `items`, and how many pages there are (at least 1). */
export function pageOf<T>(items: readonly T[], page: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE), page: current, pages };
}

/** "ar; th ;" → ["ar", "th"]: the CSV's list separator, also used in the table's fields. */
export function parseList(text: string): string[] {
  return text
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function formatList(list: readonly string[] | undefined): string {
  return (list ?? []).join("; ");
}

/** One phrase per line; blank lines dropped. */
export function parseLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function blankEntry(): PolicyEntry {
  return { phrase: "", action: "block", match_mode: "substring", languages: [], numbers: [], teams: [] };
}
