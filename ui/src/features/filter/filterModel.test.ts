import { describe, expect, it } from "vitest";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import { PAGE_SIZE, pageOf, parseLines, parseList, searchEntries } from "./filterModel";

const entry = (phrase: string, extra: Partial<PolicyEntry> = {}): PolicyEntry => ({
  phrase,
  action: "block",
  match_mode: "substring",
  ...extra,
});

describe("filterModel", () => {
  it("searches phrases and scopes but keeps each entry's policy position", () => {
    const entries = [entry("free money"), entry("เงินฟรี", { teams: ["Thai desk"] }), entry("refund", { action: "warn" })];
    expect(searchEntries(entries, "THAI").map((e) => e.index)).toEqual([1]);
    expect(searchEntries(entries, "warn").map((e) => e.entry.phrase)).toEqual(["refund"]);
    expect(searchEntries(entries, "  ")).toHaveLength(3);
  });

  it("pages 10,000 entries and clamps pages out of range", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => i);
    const last = pageOf(many, 10_000);
    expect(last.pages).toBe(10_000 / PAGE_SIZE);
    expect(last.page).toBe(last.pages - 1);
    expect(last.items.at(-1)).toBe(9_999);
    expect(pageOf([], 3)).toEqual({ items: [], page: 0, pages: 1 });
  });

  it("reads ';' lists and one-per-line allowlists", () => {
    expect(parseList(" ar; th ;; ")).toEqual(["ar", "th"]);
    expect(parseLines("Free Town\n\n  Moneyville \n")).toEqual(["Free Town", "Moneyville"]);
  });
});
