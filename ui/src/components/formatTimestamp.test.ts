import { describe, expect, it } from "vitest";
import { formatTimestamp } from "./formatTimestamp";

describe("formatTimestamp", () => {
  const now = new Date(2025, 5, 14, 18, 30).getTime();

  it("shows only the time of day for today", () => {
    expect(formatTimestamp(new Date(2025, 5, 14, 9, 5).getTime(), now)).toMatch(/\b0?9.05\b/);
  });

  it("shows a short date, without the time, for earlier days", () => {
    const yesterday = formatTimestamp(new Date(2025, 5, 13, 23, 59).getTime(), now);
    expect(yesterday).toMatch(/13/);
    expect(yesterday).not.toMatch(/23.59/);
    expect(formatTimestamp(new Date(2023, 0, 2).getTime(), now)).toMatch(/2023/);
  });
});
