import { describe, expect, it } from "vitest";

// Every stylesheet of the UI, as text. Arabic mirrors the whole layout through dir="rtl" on
// <html>, which only works while styles say start/end rather than left/right.
const sheets = import.meta.glob<string>("../**/*.css", { query: "?raw", import: "default", eager: true });

const PHYSICAL = [
  /(?:^|[\s;{])(?:margin|padding|border)-(?:left|right)\b/, // use margin-inline-start, …
  /(?:^|[\s;{])(?:left|right)\s*:/, // use inset-inline-start / -end
  /text-align\s*:\s*(?:left|right)\b/, // use start / end
  /float\s*:\s*(?:left|right)\b/, // use inline-start / inline-end
  /border-(?:top|bottom)-(?:left|right)-radius/, // use border-start-start-radius, …
];

describe("stylesheets", () => {
  it("are found", () => {
    expect(Object.keys(sheets).length).toBeGreaterThan(3);
  });

  it.each(Object.entries(sheets))("%s uses logical properties instead of left and right", (_path, css) => {
    const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ""));
    const offending = withoutComments
      .split("\n")
      .map((line, index) => ({ line: line.trim(), number: index + 1 }))
      .filter(({ line }) => PHYSICAL.some((pattern) => pattern.test(line)));
    expect(offending.map(({ line, number }) => `line ${number}: ${line}`)).toEqual([]);
  });
});
