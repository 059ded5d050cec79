import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../i18n";
import { formatFullTimestamp, formatTimestamp } from "./formatTimestamp";

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

describe("formatTimestamp in the UI language", () => {
  const now = new Date(2025, 5, 14, 18, 30).getTime();
  afterEach(() => setLocale("en"));

  it("writes Thai dates in the Gregorian calendar, not the Buddhist era", () => {
    setLocale("th");
    const date = formatTimestamp(new Date(2024, 0, 2).getTime(), now);
    expect(date).toMatch(/2024/);
    expect(date).not.toMatch(/2567/);
    expect(formatFullTimestamp(now)).toMatch(/2025/);
  });

  it("writes Arabic dates with Arabic month names and Western digits", () => {
    setLocale("ar");
    const date = formatTimestamp(new Date(2024, 0, 2).getTime(), now);
    expect(date).toMatch(/يناير/);
    expect(date).toMatch(/2024/);
  });
});
