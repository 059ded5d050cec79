import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import { chartPoints, FIGURES, formatCount, formatCsat, formatDay, formatFigure, formatRate, groupName } from "./reportModel";
import { figures, row } from "./testData";

describe("report figures on screen", () => {
  afterEach(() => setLocale("en"));

  it("write counts, rates, scores and durations in the reader's way", () => {
    setLocale("en");
    expect(formatCount(12345)).toBe("12,345");
    expect(formatRate(0.25)).toBe("25%");
    expect(formatRate(1 / 3)).toBe("33.3%");
    expect(formatRate(null)).toBe("–");
    expect(formatCsat({ responses: 12, mean: 4.25, std_dev: 0.8 })).toBe("4.3 ± 0.8");
    expect(formatCsat({ responses: 0, mean: null, std_dev: null })).toBe("–");
    expect(formatFigure("duration", 80)).toBe("1 min 20 s");
    expect(formatFigure("duration", null)).toBe("—");
    expect(formatDay("2026-11-22")).toMatch(/2026/);
  });

  it("keep Western digits in Arabic and Thai, with their own separators", () => {
    setLocale("ar");
    expect(formatCount(12345)).toMatch(/^12.345$/);
    expect(formatRate(0.5)).toMatch(/50/);
    setLocale("th");
    expect(formatCount(12345)).toBe("12,345");
  });

  it("name countries and regions in the reader's language and the shared rows as such", () => {
    expect(groupName("country", { key: "SA", label: "SA" })).toBe("Saudi Arabia (SA)");
    expect(groupName("region", { key: "gcc", label: "gcc" })).toBe("Gulf states");
    expect(groupName("team", { key: "none", label: "none" })).toBe("No team");
    expect(groupName("number", { key: "1001", label: "Acme Support" })).toBe("Acme Support");
    setLocale("ar");
    expect(groupName("region", { key: "gcc", label: "gcc" })).toBe("دول الخليج");
  });

  it("chart only groups that have a value for a figure", () => {
    const median = FIGURES.find((f) => f.id === "first_response_median")!;
    const rows = [
      row("1001", "Acme Support", figures({ first_response: { count: 2, median_seconds: 90, p90_seconds: 120 } })),
      row("1002", "Acme Sales", figures()),
    ];
    expect(chartPoints(median, "number", rows)).toEqual([{ label: "Acme Support", value: 90 }]);
    const conversations = FIGURES.find((f) => f.id === "conversations")!;
    expect(chartPoints(conversations, "number", rows)).toHaveLength(2);
  });
});
